#include "cpng.h"
#include "cpng_internal.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cpng_reader_error_callback(png_structp png, png_const_charp message) {
  cpng_reader *reader = (cpng_reader *)png_get_error_ptr(png);
  snprintf(reader->message, sizeof reader->message, "%s", message ? message : "unknown libpng error");
  reader->failed = 1;
  png_longjmp(png, 1);
}

static void cpng_reader_warning_callback(png_structp png, png_const_charp message) {
  (void)png;
  (void)message;
}

cpng_reader *cpng_reader_open_file(const char *path) {
  cpng_reader *reader = calloc(1, sizeof *reader);
  if (!reader) return NULL;
  reader->file = fopen(path, "rb");
  if (!reader->file) {
    snprintf(reader->message, sizeof reader->message, "cannot open the file");
    reader->failed = 1;
    return reader;
  }
  reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, cpng_reader_error_callback,
                                       cpng_reader_warning_callback);
  if (reader->png) reader->info = png_create_info_struct(reader->png);
  if (!reader->png || !reader->info) {
    snprintf(reader->message, sizeof reader->message, "out of memory");
    reader->failed = 1;
    return reader;
  }
  png_init_io(reader->png, reader->file);
  return reader;
}

const char *cpng_reader_error(const cpng_reader *reader) { return reader ? reader->message : "out of memory"; }

int cpng_reader_read_info(cpng_reader *reader, const cpng_limits *limits, int normalize, cpng_info *info) {
  if (reader->failed) return CPNG_ERROR;
  unsigned char signature[8];
  if (fread(signature, 1, 8, reader->file) != 8 || png_sig_cmp(signature, 0, 8) != 0) {
    snprintf(reader->message, sizeof reader->message, "not a PNG (bad signature)");
    reader->failed = 1;
    return CPNG_ERROR;
  }
  if (setjmp(png_jmpbuf(reader->png))) return CPNG_ERROR;
  png_set_sig_bytes(reader->png, 8);
  if (limits) {
    if (limits->max_width && limits->max_height) png_set_user_limits(reader->png, limits->max_width, limits->max_height);
    if (limits->max_chunk_bytes) png_set_chunk_malloc_max(reader->png, limits->max_chunk_bytes);
  }
  // Keep text chunks however many there are, but never an unbounded number of them.
  png_set_chunk_cache_max(reader->png, 1000);
  png_read_info(reader->png, reader->info);
  uint32_t width = png_get_image_width(reader->png, reader->info);
  uint32_t height = png_get_image_height(reader->png, reader->info);
  if (limits && limits->max_pixels && (uint64_t)width * height > limits->max_pixels) {
    png_error(reader->png, "image has more pixels than the limit allows");
  }
  int bit_depth = png_get_bit_depth(reader->png, reader->info);
  int color_type = png_get_color_type(reader->png, reader->info);
  int interlaced = png_get_interlace_type(reader->png, reader->info) != PNG_INTERLACE_NONE;
  if (normalize) {
    png_set_expand(reader->png);
    png_set_strip_16(reader->png);
    png_set_gray_to_rgb(reader->png);
  } else if (bit_depth < 8) {
    png_set_packing(reader->png);
  }
  if (interlaced) png_set_interlace_handling(reader->png);
  png_read_update_info(reader->png, reader->info);
  info->width = width;
  info->height = height;
  info->source_bit_depth = bit_depth;
  info->bit_depth = png_get_bit_depth(reader->png, reader->info);
  info->color_type = normalize ? png_get_color_type(reader->png, reader->info) : color_type;
  info->interlaced = interlaced;
  info->channels = png_get_channels(reader->png, reader->info);
  info->row_bytes = png_get_rowbytes(reader->png, reader->info);
  return CPNG_OK;
}

int cpng_reader_read_rows(cpng_reader *reader, uint8_t *rows, uint32_t count, size_t stride) {
  if (reader->failed) return CPNG_ERROR;
  if (setjmp(png_jmpbuf(reader->png))) return CPNG_ERROR;
  for (uint32_t i = 0; i < count; i++) png_read_row(reader->png, rows + (size_t)i * stride, NULL);
  return CPNG_OK;
}

int cpng_reader_read_image(cpng_reader *reader, uint8_t *rows, size_t stride) {
  if (reader->failed) return CPNG_ERROR;
  uint32_t height = png_get_image_height(reader->png, reader->info);
  png_bytep *pointers = malloc(sizeof(png_bytep) * (height ? height : 1));
  if (!pointers) {
    snprintf(reader->message, sizeof reader->message, "out of memory");
    return CPNG_ERROR;
  }
  if (setjmp(png_jmpbuf(reader->png))) {
    free(pointers);
    return CPNG_ERROR;
  }
  for (uint32_t i = 0; i < height; i++) pointers[i] = rows + (size_t)i * stride;
  png_read_image(reader->png, pointers);
  free(pointers);
  return CPNG_OK;
}

int cpng_reader_text_count(const cpng_reader *reader) {
  if (!reader->png || !reader->info) return 0;
  png_textp text = NULL;
  return png_get_text(reader->png, reader->info, &text, NULL);
}

int cpng_reader_text(const cpng_reader *reader, int index, const char **key, const char **text, int *international) {
  png_textp chunks = NULL;
  int count = png_get_text(reader->png, reader->info, &chunks, NULL);
  if (index < 0 || index >= count) return CPNG_ERROR;
  *key = chunks[index].key;
  *text = chunks[index].text ? chunks[index].text : "";
  *international = chunks[index].compression >= PNG_ITXT_COMPRESSION_NONE;
  return CPNG_OK;
}

void cpng_reader_destroy(cpng_reader *reader) {
  if (!reader) return;
  if (reader->png) png_destroy_read_struct(&reader->png, reader->info ? &reader->info : NULL, NULL);
  if (reader->file) fclose(reader->file);
  free(reader);
}

void cpng_copy_color_info(cpng_writer *writer, const cpng_reader *reader) {
  png_structp rp = reader->png;
  png_infop ri = reader->info;
  png_colorp palette = NULL;
  int palette_count = 0;
  if (png_get_PLTE(rp, ri, &palette, &palette_count) == PNG_INFO_PLTE) {
    png_set_PLTE(writer->png, writer->info, palette, palette_count);
    writer->has_copied_palette = 1;
  }
  png_bytep alpha = NULL;
  int alpha_count = 0;
  png_color_16p transparent = NULL;
  if (png_get_tRNS(rp, ri, &alpha, &alpha_count, &transparent) == PNG_INFO_tRNS) {
    png_set_tRNS(writer->png, writer->info, alpha, alpha_count, transparent);
  }
  double gamma = 0;
  if (png_get_gAMA(rp, ri, &gamma) == PNG_INFO_gAMA) png_set_gAMA(writer->png, writer->info, gamma);
  int intent = 0;
  if (png_get_sRGB(rp, ri, &intent) == PNG_INFO_sRGB) png_set_sRGB(writer->png, writer->info, intent);
  png_charp name = NULL;
  int compression = 0;
  png_bytep profile = NULL;
  png_uint_32 profile_length = 0;
  if (png_get_iCCP(rp, ri, &name, &compression, &profile, &profile_length) == PNG_INFO_iCCP) {
    png_set_iCCP(writer->png, writer->info, name, compression, profile, profile_length);
  }
  double wx, wy, rx, ry, gx, gy, bx, by;
  if (png_get_cHRM(rp, ri, &wx, &wy, &rx, &ry, &gx, &gy, &bx, &by) == PNG_INFO_cHRM) {
    png_set_cHRM(writer->png, writer->info, wx, wy, rx, ry, gx, gy, bx, by);
  }
  png_uint_32 res_x = 0, res_y = 0;
  int unit = 0;
  if (png_get_pHYs(rp, ri, &res_x, &res_y, &unit) == PNG_INFO_pHYs) png_set_pHYs(writer->png, writer->info, res_x, res_y, unit);
}
