/*
 * producer_consumer - your bounded queue at work: a fast producer, a slow
 * consumer, a queue of 5.
 *
 * The producer makes 20 items as fast as it can; the consumer takes 20 ms
 * per item. With a bounded queue the producer runs ahead by 5 items and
 * then is held back to the consumer's pace: memory stays bounded however
 * long the run. (With the starter queue, items are dropped instead.)
 *
 * usage: producer_consumer   -- prints when each item is put and got; gives
 * up after 5 s (with the starter, the end-of-work item is dropped too, and
 * the consumer would spin for ever).
 */
#include "bounded_queue.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#define ITEMS 20
static bounded_queue queue;

static void *produce(void *unused)
{
    for (int item = 0; item < ITEMS; item++) {
        queue_put(&queue, item);
        printf("put %2d\n", item);
    }
    queue_put(&queue, -1);                      /* end of work */
    return unused;
}

static void give_up(int signal_number)
{
    (void)signal_number;
    static const char message[] = "gave up after 5 s: the end-of-work item never arrived (dropped?)\n";
    if (write(STDOUT_FILENO, message, sizeof message - 1) < 0) { }
    _exit(1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (signal(SIGALRM, give_up) == SIG_ERR) {
        perror("signal");
        return 1;
    }
    pthread_t producer;
    alarm(5);
    if (queue_init(&queue, 5) != 0)
        return 1;
    if (pthread_create(&producer, NULL, produce, NULL) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        return 1;
    }
    int items_got = 0;
    for (int item; (item = queue_get(&queue)) != -1; items_got++) {
        usleep(20000);
        printf("            got %2d\n", item);
    }
    pthread_join(producer, NULL);
    queue_destroy(&queue);
    printf("%d of %d items arrived\n", items_got, ITEMS);
    return items_got == ITEMS ? 0 : 1;
}
