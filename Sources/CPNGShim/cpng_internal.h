// Shared between the reader and writer; not part of the Swift-facing API.
#ifndef CPNG_INTERNAL_H
#define CPNG_INTERNAL_H

#include <png.h>
#include <stdio.h>

struct cpng_writer {
  png_structp png;
  png_infop info;
  FILE *file;
  uint8_t *memory;
  size_t memory_length;
  size_t memory_capacity;
  int failed;
  int has_copied_palette;
  int open_errno;
  /// errno of the last failed write, flush or close of the file (ENOSPC for a full disk), else 0.
  int write_errno;
  int skip_fsync;
  char message[256];
};

struct cpng_reader {
  png_structp png;
  png_infop info;
  FILE *file;
  int failed;
  char message[256];
};

/// Copies PLTE, tRNS, gAMA, sRGB, iCCP, cHRM and pHYs from a source being read; may png_error.
void cpng_copy_color_info(struct cpng_writer *writer, const struct cpng_reader *reader);

#endif
