/*
 * gif.h - writes a picture as a GIF89a file that any viewer opens.
 *
 * The picture is a grid of palette indices, one byte per pixel, row by row.
 * The pixels are compressed with real LZW (variable code width, 3 to 12
 * bits, a clear code when the table is full), packed into the 255-byte
 * sub-blocks the format wants.
 */
#ifndef GIF_H
#define GIF_H

#include <stddef.h>

/* `palette` holds `colour_count` RGB triples; `colour_count` is a power of
 * two from 2 to 256 and every pixel is < colour_count. Returns the file's
 * bytes (malloc'ed; the caller frees them) and sets *size, or returns NULL
 * if memory ran out. */
unsigned char *gif_encode(int width, int height, const unsigned char *palette,
                          int colour_count, const unsigned char *pixels, size_t *size);

#endif
