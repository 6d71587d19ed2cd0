/*
 * semaphore - the notes' example: 13 threads, but at most 5 inside at once.
 *
 * A counting semaphore starts at 5. Each thread takes one unit (sem_wait),
 * works for 0.2 s, gives it back (sem_post). A shared counter of threads
 * inside, updated under a mutex, records the most ever seen at once.
 *
 * What to look for: "inside" never exceeds 5, the threads go through in
 * three waves (5, 5, 3), and the whole run takes about 3 x 0.2 s = 0.6 s.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define THREADS 13
#define ALLOWED_INSIDE 5

static sem_t entry_slots;
static pthread_mutex_t inside_lock = PTHREAD_MUTEX_INITIALIZER;
static int threads_inside, most_inside;

static void *visit(void *argument)
{
    long visitor = (long)argument;
    while (sem_wait(&entry_slots) != 0) { }      /* retried only on EINTR */
    pthread_mutex_lock(&inside_lock);
    threads_inside++;
    if (threads_inside > most_inside)
        most_inside = threads_inside;
    printf("thread %2ld in  (%d inside)\n", visitor, threads_inside);
    pthread_mutex_unlock(&inside_lock);

    usleep(200000);

    pthread_mutex_lock(&inside_lock);
    threads_inside--;
    pthread_mutex_unlock(&inside_lock);
    sem_post(&entry_slots);
    return NULL;
}

int main(void)
{
    pthread_t visitors[THREADS];
    struct timespec start, end;
    if (sem_init(&entry_slots, 0, ALLOWED_INSIDE) != 0) {
        perror("sem_init");
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long visitor = 0; visitor < THREADS; visitor++)
        if (pthread_create(&visitors[visitor], NULL, visit, (void *)visitor) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    for (int visitor = 0; visitor < THREADS; visitor++)
        pthread_join(visitors[visitor], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("at most %d inside at once (limit %d); %.2f s in all\n", most_inside, ALLOWED_INSIDE,
           (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    sem_destroy(&entry_slots);
    return most_inside <= ALLOWED_INSIDE ? 0 : 1;
}
