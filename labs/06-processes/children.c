/*
 * children.c - finds this process's zombie children by reading
 * /proc/<pid>/stat for every process: field 3 is the state, field 4 the
 * parent's pid. This is what `ps --ppid <pid>` shows as <defunct>.
 */
#include "children.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int count_zombie_children(int print)
{
    DIR *processes = opendir("/proc");
    if (processes == NULL) {
        fprintf(stderr, "opendir /proc: %s\n", strerror(errno));
        return -1;
    }
    int zombies = 0;
    struct dirent *entry;
    while ((entry = readdir(processes)) != NULL) {
        if (!isdigit((unsigned char)entry->d_name[0]))
            continue;
        char path[300], line[512];
        snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
        FILE *stat_file = fopen(path, "r");
        if (stat_file == NULL)
            continue;                        /* it exited meanwhile */
        char *have_line = fgets(line, sizeof line, stat_file);
        fclose(stat_file);
        char *after_name = have_line ? strrchr(line, ')') : NULL;   /* the name may hold spaces */
        char state;
        int parent;
        if (after_name == NULL || sscanf(after_name + 1, " %c %d", &state, &parent) != 2)
            continue;
        if (parent == getpid() && state == 'Z') {
            zombies++;
            if (print)
                printf("  pid %s: state Z <defunct>\n", entry->d_name);
        }
    }
    closedir(processes);
    return zombies;
}
