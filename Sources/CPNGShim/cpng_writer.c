#include "cpng.h"
#include "cpng_internal.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static void cpng_set_message(cpng_writer *writer, const char *message) {
  snprintf(writer->message, sizeof writer->message, "%s", message ? message : "unknown libpng error");
}

static void cpng_error_callback(png_structp png, png_const_charp message) {
  cpng_writer *writer = (cpng_writer *)png_get_error_ptr(png);
  cpng_set_message(writer, message);
  writer->failed = 1;
  png_longjmp(png, 1);
}

static void cpng_warning_callback(png_structp png, png_const_charp message) {
  (void)png;
  (void)message;
}

static void cpng_memory_write(png_structp png, png_bytep data, png_size_t length) {
  cpng_writer *writer = (cpng_writer *)png_get_io_ptr(png);
  if (writer->memory_length + length > writer->memory_capacity) {
    size_t capacity = writer->memory_capacity ? writer->memory_capacity : 65536;
    while (capacity < writer->memory_length + length) capacity *= 2;
    uint8_t *grown = realloc(writer->memory, capacity);
    if (!grown) png_error(png, "out of memory while encoding PNG");
    writer->memory = grown;
    writer->memory_capacity = capacity;
  }
  memcpy(writer->memory + writer->memory_length, data, length);
  writer->memory_length += length;
}

static void cpng_memory_flush(png_structp png) { (void)png; }

// Writes to the file as libpng's own function does, but keeps errno, so a full disk can be named as such.
static void cpng_file_write(png_structp png, png_bytep data, size_t length) {
  cpng_writer *writer = png_get_io_ptr(png);
  if (fwrite(data, 1, length, writer->file) != length) {
    writer->write_errno = errno;
    png_error(png, "Write Error");
  }
}

static void cpng_file_flush(png_structp png) {
  cpng_writer *writer = png_get_io_ptr(png);
  if (fflush(writer->file) != 0) writer->write_errno = errno;
}

static cpng_writer *cpng_writer_create(void) {
  cpng_writer *writer = calloc(1, sizeof *writer);
  if (!writer) return NULL;
  writer->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, writer, cpng_error_callback, cpng_warning_callback);
  if (!writer->png) {
    free(writer);
    return NULL;
  }
  writer->info = png_create_info_struct(writer->png);
  if (!writer->info) {
    png_destroy_write_struct(&writer->png, NULL);
    free(writer);
    return NULL;
  }
  return writer;
}

cpng_writer *cpng_writer_create_file(const char *path) {
  cpng_writer *writer = cpng_writer_create();
  if (!writer) return NULL;
  writer->file = fopen(path, "wbx");
  if (!writer->file) {
    writer->open_errno = errno;
    snprintf(writer->message, sizeof writer->message, "cannot create the output file: %s", strerror(errno));
    writer->failed = 1;
    return writer;
  }
  png_set_write_fn(writer->png, writer, cpng_file_write, cpng_file_flush);
  return writer;
}

cpng_writer *cpng_writer_create_memory(void) {
  cpng_writer *writer = cpng_writer_create();
  if (!writer) return NULL;
  png_set_write_fn(writer->png, writer, cpng_memory_write, cpng_memory_flush);
  return writer;
}

int cpng_writer_open_errno(const cpng_writer *writer) { return writer ? writer->open_errno : 0; }

int cpng_writer_write_errno(const cpng_writer *writer) { return writer ? writer->write_errno : 0; }

const char *cpng_writer_error(const cpng_writer *writer) { return writer ? writer->message : "out of memory"; }

int cpng_writer_begin(cpng_writer *writer, uint32_t width, uint32_t height, int bit_depth, int color_type,
                      const cpng_write_options *options, const uint8_t *palette_rgb, int palette_count,
                      const cpng_reader *source, const cpng_text *texts, int text_count) {
  if (writer->failed) return CPNG_ERROR;
  png_textp chunks = NULL;
  if (text_count > 0) {
    chunks = calloc((size_t)text_count, sizeof *chunks);
    if (!chunks) {
      cpng_set_message(writer, "out of memory");
      writer->failed = 1;
      return CPNG_ERROR;
    }
  }
  if (setjmp(png_jmpbuf(writer->png))) {
    free(chunks);
    return CPNG_ERROR;
  }
  png_set_IHDR(writer->png, writer->info, width, height, bit_depth, color_type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (source) cpng_copy_color_info(writer, source);
  if (color_type == CPNG_COLOR_PALETTE && writer->has_copied_palette) {
    // PLTE came from the source.
  } else if (color_type == CPNG_COLOR_PALETTE) {
    png_color colors[256];
    if (palette_count < 1 || palette_count > 256 || !palette_rgb) png_error(writer->png, "a palette image needs 1-256 colors");
    for (int i = 0; i < palette_count; i++) {
      colors[i].red = palette_rgb[3 * i];
      colors[i].green = palette_rgb[3 * i + 1];
      colors[i].blue = palette_rgb[3 * i + 2];
    }
    png_set_PLTE(writer->png, writer->info, colors, palette_count);
  }
  // Larger IDAT chunks: libpng's 8 KB default costs 12 bytes of framing per 8 KB of image data.
  png_set_compression_buffer_size(writer->png, 256 * 1024);
  if (options) {
    png_set_compression_level(writer->png, options->compression_level);
    if (options->memory_level) png_set_compression_mem_level(writer->png, options->memory_level);
    png_set_compression_strategy(writer->png, options->strategy);
    if (options->filters) png_set_filter(writer->png, PNG_FILTER_TYPE_BASE, options->filters);
  }
  for (int i = 0; i < text_count; i++) {
    chunks[i].compression = texts[i].international ? PNG_ITXT_COMPRESSION_NONE : PNG_TEXT_COMPRESSION_NONE;
    chunks[i].key = (png_charp)texts[i].key;
    chunks[i].text = (png_charp)texts[i].text;
    chunks[i].text_length = strlen(texts[i].text);
    chunks[i].lang = NULL;
    chunks[i].lang_key = NULL;
  }
  if (text_count > 0) png_set_text(writer->png, writer->info, chunks, text_count);
  png_write_info(writer->png, writer->info);
  if (bit_depth < 8) png_set_packing(writer->png);
  free(chunks);
  return CPNG_OK;
}

int cpng_writer_write_rows(cpng_writer *writer, const uint8_t *rows, uint32_t count, size_t stride) {
  if (writer->failed) return CPNG_ERROR;
  if (setjmp(png_jmpbuf(writer->png))) return CPNG_ERROR;
  for (uint32_t i = 0; i < count; i++) {
    png_write_row(writer->png, (png_const_bytep)(rows + (size_t)i * stride));
  }
  return CPNG_OK;
}

int cpng_writer_finish(cpng_writer *writer) {
  if (writer->failed) return CPNG_ERROR;
  if (setjmp(png_jmpbuf(writer->png))) return CPNG_ERROR;
  png_write_end(writer->png, writer->info);
  if (writer->file) {
    int failed = fflush(writer->file) != 0 || (!writer->skip_fsync && fsync(fileno(writer->file)) != 0);
    if (failed) writer->write_errno = errno;
    if (fclose(writer->file) != 0) {
      if (!failed) writer->write_errno = errno;
      failed = 1;
    }
    writer->file = NULL;
    if (failed) {
      cpng_set_message(writer, "cannot write the output file (disk full?)");
      writer->failed = 1;
      return CPNG_ERROR;
    }
  }
  return CPNG_OK;
}

void cpng_writer_set_durable(cpng_writer *writer, int durable) {
  writer->skip_fsync = !durable;
}

const uint8_t *cpng_writer_bytes(const cpng_writer *writer, size_t *length) {
  *length = writer->memory_length;
  return writer->memory;
}

void cpng_writer_destroy(cpng_writer *writer) {
  if (!writer) return;
  png_destroy_write_struct(&writer->png, &writer->info);
  if (writer->file) fclose(writer->file);
  free(writer->memory);
  free(writer);
}
