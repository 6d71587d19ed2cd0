/* children.h - looking at this process's children in /proc. */
#ifndef CHILDREN_H
#define CHILDREN_H

/* Counts the children of this process that are zombies (state Z: exited,
 * not yet waited for), printing one line for each if `print` is set.
 * Returns the count, or -1 if /proc cannot be read. */
int count_zombie_children(int print);

#endif
