/*
 * traffic_light - the notes' Event example: one thread flips a light, cars
 * wait for green.
 *
 * An "event" is a flag plus a condition variable: set() makes it true and
 * wakes every waiter (broadcast), clear() makes it false, wait() sleeps
 * while it is false. The light thread turns green for 0.3 s and red for
 * 0.3 s, three times; six cars arrive at random moments and cross only
 * while it is green.
 *
 * What to look for: no car crosses on red; cars arriving on red wait and
 * then leave together when it turns green (that is the broadcast).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    bool is_set;
    pthread_mutex_t lock;
    pthread_cond_t changed;
} event;

static event green_light = { false, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };
static int cars_crossed_on_red;

static void event_set(event *flag, bool value)
{
    pthread_mutex_lock(&flag->lock);
    flag->is_set = value;
    pthread_cond_broadcast(&flag->changed);
    pthread_mutex_unlock(&flag->lock);
}

static void *drive(void *argument)
{
    long car = (long)argument;
    usleep((unsigned)(rand_r(&(unsigned){ (unsigned)car + 1 }) % 1500) * 1000);
    pthread_mutex_lock(&green_light.lock);
    if (!green_light.is_set)
        printf("car %ld waits at red\n", car);
    while (!green_light.is_set)
        pthread_cond_wait(&green_light.changed, &green_light.lock);
    printf("car %ld crosses on green\n", car);
    cars_crossed_on_red += !green_light.is_set;
    pthread_mutex_unlock(&green_light.lock);
    return NULL;
}

int main(void)
{
    pthread_t cars[6];
    for (long car = 0; car < 6; car++)
        if (pthread_create(&cars[car], NULL, drive, (void *)car) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    for (int cycle = 0; cycle < 3; cycle++) {
        event_set(&green_light, true);
        printf("light: GREEN\n");
        usleep(300000);
        event_set(&green_light, false);
        printf("light: RED\n");
        usleep(300000);
    }
    event_set(&green_light, true);              /* let the last ones go */
    printf("light: GREEN (and stays green)\n");
    for (int car = 0; car < 6; car++)
        pthread_join(cars[car], NULL);
    printf("%d cars crossed on red\n", cars_crossed_on_red);
    return cars_crossed_on_red == 0 ? 0 : 1;
}
