// A small C layer over libpng. libpng reports errors with longjmp, which must never cross
// Swift frames, so every entry point here owns its setjmp and turns errors into a return
// code plus a message kept in the handle.
#ifndef CPNG_H
#define CPNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Return codes: 0 is success, anything else an error described by cpng_writer_error.
enum { CPNG_OK = 0, CPNG_ERROR = 1 };

/// PNG color types, as in the specification.
enum {
  CPNG_COLOR_GRAY = 0,
  CPNG_COLOR_RGB = 2,
  CPNG_COLOR_PALETTE = 3,
  CPNG_COLOR_GRAY_ALPHA = 4,
  CPNG_COLOR_RGBA = 6
};

/// How to compress: zlib level (0-9), zlib strategy (0 default, 1 filtered, 3 RLE),
/// and the libpng filter mask (0 means libpng's default choice).
typedef struct cpng_write_options {
  int compression_level;
  int strategy;
  int filters;
} cpng_write_options;

/// One text chunk: written as iTXt (UTF-8) when international is non-zero, else tEXt (Latin-1).
typedef struct cpng_text {
  const char *key;
  const char *text;
  int international;
} cpng_text;

typedef struct cpng_writer cpng_writer;

/// Creates a writer that writes to a new file at path (the caller renames it into place).
cpng_writer *cpng_writer_create_file(const char *path);
/// Creates a writer that collects the PNG in memory.
cpng_writer *cpng_writer_create_memory(void);
/// The last error message, or an empty string.
const char *cpng_writer_error(const cpng_writer *writer);
/// Writes the signature, IHDR, an optional palette, and the text chunks.
int cpng_writer_begin(cpng_writer *writer, uint32_t width, uint32_t height, int bit_depth, int color_type,
                      const cpng_write_options *options, const uint8_t *palette_rgb, int palette_count,
                      const cpng_text *texts, int text_count);
/// Writes count rows of packed samples (16-bit samples big-endian), stride bytes apart.
int cpng_writer_write_rows(cpng_writer *writer, const uint8_t *rows, uint32_t count, size_t stride);
/// Writes IEND and flushes; for a file writer, fsyncs and closes the file.
int cpng_writer_finish(cpng_writer *writer);
/// The encoded bytes of a finished memory writer.
const uint8_t *cpng_writer_bytes(const cpng_writer *writer, size_t *length);
/// Frees the writer; a file writer that did not finish closes its file (the caller removes it).
void cpng_writer_destroy(cpng_writer *writer);

#ifdef __cplusplus
}
#endif

#endif
