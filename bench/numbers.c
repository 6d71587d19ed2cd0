/* numbers.c - reading whole numbers, one per line, with errors that name the line. */
#include "bench.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t *bench_read_numbers(const char *path, uint64_t max, size_t *count)
{
    FILE *file = fopen(path, "r");
    if (file == NULL)
        bench_usage_error("%s: %s", path, strerror(errno));
    size_t capacity = 1024, used = 0;
    uint64_t *numbers = bench_alloc(capacity, sizeof *numbers);
    char *line = NULL;
    size_t line_capacity = 0;
    ssize_t length;
    long line_number = 0;
    while ((length = getline(&line, &line_capacity, file)) != -1) {
        line_number++;
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
            line[--length] = '\0';
        char *end;
        errno = 0;
        unsigned long long value = strtoull(line, &end, 10);
        if (length == 0 || !isdigit((unsigned char)line[0]) || *end != '\0' || errno != 0 ||
            value > max) {
            fclose(file);
            char shown[200];   /* the first 40 bytes, escaped: the file may hold anything */
            bench_printable(shown, sizeof shown, line, length < 40 ? (size_t)length : 40);
            bench_usage_error("%s:%ld: '%s' is not a whole number from 0 to %" PRIu64, path,
                              line_number, shown, max);
        }
        if (used == capacity) {
            capacity *= 2;
            uint64_t *grown = realloc(numbers, capacity * sizeof *numbers);
            if (grown == NULL)
                bench_failf("out of memory reading %s", path);
            numbers = grown;
        }
        numbers[used++] = value;
    }
    if (ferror(file))
        bench_usage_error("%s: %s", path, strerror(errno));
    free(line);
    fclose(file);
    *count = used;
    return numbers;
}
