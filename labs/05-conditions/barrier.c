/*
 * barrier - threads that work in rounds and wait for each other in between.
 *
 * Four threads each do three rounds of work of different lengths. After
 * each round they meet at a pthread barrier: nobody starts round r+1 until
 * everybody has finished round r.
 *
 * What to look for: all "round 0 done" lines come before any "round 1"
 * line, whatever the sleep lengths; the slowest thread sets the pace (a
 * round lasts as long as its slowest member: about 4 x 40 ms here).
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 3

static pthread_barrier_t round_finished;

static void *work_in_rounds(void *argument)
{
    long worker = (long)argument;
    for (int round = 0; round < ROUNDS; round++) {
        usleep((worker + 1) * 40000);           /* worker 3 is the slowest */
        printf("worker %ld: round %d done\n", worker, round);
        int result = pthread_barrier_wait(&round_finished);
        if (result == PTHREAD_BARRIER_SERIAL_THREAD)
            printf("--- everybody finished round %d ---\n", round);
    }
    return NULL;
}

int main(void)
{
    pthread_t workers[THREADS];
    if (pthread_barrier_init(&round_finished, NULL, THREADS) != 0) {
        fprintf(stderr, "pthread_barrier_init failed\n");
        return 1;
    }
    for (long worker = 0; worker < THREADS; worker++)
        if (pthread_create(&workers[worker], NULL, work_in_rounds, (void *)worker) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    for (int worker = 0; worker < THREADS; worker++)
        pthread_join(workers[worker], NULL);
    pthread_barrier_destroy(&round_finished);
    return 0;
}
