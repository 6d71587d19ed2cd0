/*
 * fuzz/replay.c - runs files through a libFuzzer target without libFuzzer:
 * `fuzz-http-replay FILE...` calls LLVMFuzzerTestOneInput on each file's
 * bytes. The seed corpus test (tests/flagserver-fuzz.bats) uses it, in the
 * plain and the sanitizer builds; a crash found by `make fuzz` replays
 * the same way.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE... (runs each file through the fuzz target)\n", argv[0]);
        return 2;
    }
    for (int index = 1; index < argc; index++) {
        FILE *file = fopen(argv[index], "rb");
        if (file == NULL) {
            fprintf(stderr, "%s: fopen %s: %s\n", argv[0], argv[index], strerror(errno));
            return 2;
        }
        size_t capacity = 1 << 16, size = 0;
        uint8_t *data = malloc(capacity);
        size_t got;
        while (data != NULL && (got = fread(data + size, 1, capacity - size, file)) > 0) {
            size += got;
            if (size == capacity) {
                uint8_t *grown = realloc(data, capacity *= 2);
                if (grown == NULL)
                    free(data);
                data = grown;
            }
        }
        if (data == NULL || ferror(file)) {
            fprintf(stderr, "%s: reading %s: %s\n", argv[0], argv[index],
                    data == NULL ? "out of memory" : strerror(errno));
            fclose(file);
            free(data);
            return 1;
        }
        fclose(file);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
    }
    printf("%d inputs ok\n", argc - 1);
    return 0;
}
