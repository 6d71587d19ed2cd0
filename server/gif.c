/* gif.c - a GIF89a encoder: header, colour table, one image, LZW data. */
#include "gif.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { LZW_MAX_CODES = 4096, LZW_MAX_WIDTH = 12, SUB_BLOCK_MAX = 255 };

typedef struct {
    unsigned char *data;
    size_t size, capacity;
    bool out_of_memory;
} byte_buffer;

static void put_bytes(byte_buffer *buffer, const void *bytes, size_t count)
{
    if (buffer->out_of_memory)
        return;
    if (buffer->size + count > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 256;
        while (capacity < buffer->size + count)
            capacity *= 2;
        unsigned char *grown = realloc(buffer->data, capacity);
        if (grown == NULL) {
            buffer->out_of_memory = true;
            return;
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, count);
    buffer->size += count;
}

static void put_byte(byte_buffer *buffer, unsigned value)
{
    unsigned char byte = (unsigned char)value;
    put_bytes(buffer, &byte, 1);
}

static void put_u16(byte_buffer *buffer, unsigned value)  /* little-endian */
{
    put_byte(buffer, value & 0xff);
    put_byte(buffer, (value >> 8) & 0xff);
}

/* LZW codes are packed least significant bit first into sub-blocks of at
 * most 255 bytes, each preceded by its length. */
typedef struct {
    byte_buffer *out;
    unsigned char block[SUB_BLOCK_MAX];
    size_t block_size;
    uint32_t pending_bits;
    int pending_count;
} code_writer;

static void block_add(code_writer *writer, unsigned char byte)
{
    writer->block[writer->block_size++] = byte;
    if (writer->block_size == SUB_BLOCK_MAX) {
        put_byte(writer->out, SUB_BLOCK_MAX);
        put_bytes(writer->out, writer->block, SUB_BLOCK_MAX);
        writer->block_size = 0;
    }
}

static void write_code(code_writer *writer, unsigned code, int width)
{
    writer->pending_bits |= (uint32_t)code << writer->pending_count;
    writer->pending_count += width;
    while (writer->pending_count >= 8) {
        block_add(writer, writer->pending_bits & 0xff);
        writer->pending_bits >>= 8;
        writer->pending_count -= 8;
    }
}

static void finish_codes(code_writer *writer)
{
    if (writer->pending_count > 0)
        block_add(writer, writer->pending_bits & 0xff);
    if (writer->block_size > 0) {
        put_byte(writer->out, (unsigned)writer->block_size);
        put_bytes(writer->out, writer->block, writer->block_size);
    }
    put_byte(writer->out, 0);  /* the empty sub-block ends the data */
}

/* LZW: the table maps (prefix code, next pixel) to a longer string's code.
 * With an alphabet of 2^k symbols it is a flat array of 4096 x 2^k entries;
 * 0 means "no such string yet" (no string code is ever 0). */
static bool compress(code_writer *writer, const unsigned char *pixels, size_t pixel_count,
                     int min_code_size)
{
    unsigned alphabet = 1u << min_code_size;
    unsigned clear_code = alphabet, end_code = alphabet + 1;
    uint16_t *extension = calloc((size_t)LZW_MAX_CODES * alphabet, sizeof *extension);
    if (extension == NULL)
        return false;

    unsigned next_code = end_code + 1;
    int width = min_code_size + 1;
    write_code(writer, clear_code, width);
    unsigned prefix = pixels[0];
    for (size_t index = 1; index < pixel_count; index++) {
        unsigned pixel = pixels[index];
        unsigned longer = extension[prefix * alphabet + pixel];
        if (longer != 0) {
            prefix = longer;
            continue;
        }
        write_code(writer, prefix, width);
        if (next_code < LZW_MAX_CODES) {
            extension[prefix * alphabet + pixel] = (uint16_t)next_code++;
            /* The decoder adds its entries one code later, so the width
             * grows once the code just added no longer fits. */
            if (next_code > (1u << width) && width < LZW_MAX_WIDTH)
                width++;
        } else {
            /* Table full: start afresh. */
            write_code(writer, clear_code, width);
            memset(extension, 0, (size_t)LZW_MAX_CODES * alphabet * sizeof *extension);
            next_code = end_code + 1;
            width = min_code_size + 1;
        }
        prefix = pixel;
    }
    write_code(writer, prefix, width);
    write_code(writer, end_code, width);
    finish_codes(writer);
    free(extension);
    return true;
}

unsigned char *gif_encode(int width, int height, const unsigned char *palette,
                          int colour_count, const unsigned char *pixels, size_t *size)
{
    int table_bits = 1;  /* the colour table has 2^table_bits entries */
    while ((1 << table_bits) < colour_count)
        table_bits++;
    int min_code_size = table_bits < 2 ? 2 : table_bits;

    byte_buffer out = {0};
    put_bytes(&out, "GIF89a", 6);
    /* Logical screen: size, a global colour table of 2^table_bits entries
     * with 8 bits per primary, background colour 0, square pixels. */
    put_u16(&out, (unsigned)width);
    put_u16(&out, (unsigned)height);
    put_byte(&out, 0x80 | (7 << 4) | (unsigned)(table_bits - 1));
    put_byte(&out, 0);
    put_byte(&out, 0);
    put_bytes(&out, palette, (size_t)colour_count * 3);
    for (int padding = colour_count; padding < (1 << table_bits); padding++)
        put_bytes(&out, "\0\0\0", 3);
    /* One image covering the screen, not interlaced, no local table. */
    put_byte(&out, 0x2c);
    put_u16(&out, 0);
    put_u16(&out, 0);
    put_u16(&out, (unsigned)width);
    put_u16(&out, (unsigned)height);
    put_byte(&out, 0);
    put_byte(&out, (unsigned)min_code_size);
    code_writer writer = {.out = &out};
    bool compressed = compress(&writer, pixels, (size_t)width * (size_t)height, min_code_size);
    put_byte(&out, 0x3b);  /* trailer */

    if (!compressed || out.out_of_memory) {
        free(out.data);
        return NULL;
    }
    *size = out.size;
    return out.data;
}
