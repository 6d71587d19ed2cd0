# queue_pthread.c: the stack of ranges, with its mutex, condition variable and
# barrier, that the pthread and fork models share (see the Makefile).
sort_SHARED        := queue_pthread
sort_pthread_LINKS := queue_pthread
sort_fork_LINKS    := queue_pthread
