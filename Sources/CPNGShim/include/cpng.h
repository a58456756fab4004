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

/// How to compress: zlib level (0-9), zlib strategy (0 default, 1 filtered, 3 RLE), the libpng
/// filter mask (0 means libpng's default choice), and zlib's memLevel (1-9, 0 for libpng's 8).
typedef struct cpng_write_options {
  int compression_level;
  int strategy;
  int filters;
  int memory_level;
} cpng_write_options;

/// One text chunk: written as iTXt (UTF-8) when international is non-zero, else tEXt (Latin-1).
typedef struct cpng_text {
  const char *key;
  const char *text;
  int international;
} cpng_text;

typedef struct cpng_writer cpng_writer;
typedef struct cpng_reader cpng_reader;

/// Refusals against PNG bombs: zero means libpng's own default.
typedef struct cpng_limits {
  uint32_t max_width;
  uint32_t max_height;
  uint64_t max_pixels;
  size_t max_chunk_bytes;
} cpng_limits;

/// What a PNG's header says, after sub-byte samples are unpacked to one byte each.
typedef struct cpng_info {
  uint32_t width;
  uint32_t height;
  int bit_depth;      // 8 or 16 after unpacking (the file's own depth is source_bit_depth)
  int source_bit_depth;
  int color_type;
  int interlaced;
  int channels;
  size_t row_bytes;   // bytes in one unpacked row
} cpng_info;

/// Opens a PNG file for reading; check cpng_reader_error when cpng_reader_read_info fails.
cpng_reader *cpng_reader_open_file(const char *path);
/// The last error message, or an empty string.
const char *cpng_reader_error(const cpng_reader *reader);
/// Checks the signature and reads every chunk up to the image data, applying the limits. With
/// normalize, rows come out as 8-bit RGB or RGBA whatever the file holds (for thumbnails).
int cpng_reader_read_info(cpng_reader *reader, const cpng_limits *limits, int normalize, cpng_info *info);
/// Reads the next count rows (non-interlaced files), stride bytes apart.
int cpng_reader_read_rows(cpng_reader *reader, uint8_t *rows, uint32_t count, size_t stride);
/// Reads the whole image (needed for interlaced files), height rows stride bytes apart.
int cpng_reader_read_image(cpng_reader *reader, uint8_t *rows, size_t stride);
/// Number of text chunks read so far.
int cpng_reader_text_count(const cpng_reader *reader);
/// Key and text of text chunk index (UTF-8 for iTXt, Latin-1 bytes otherwise).
int cpng_reader_text(const cpng_reader *reader, int index, const char **key, const char **text, int *international);
void cpng_reader_destroy(cpng_reader *reader);

/// Creates a writer that writes to a new file at path (the caller renames it into place).
cpng_writer *cpng_writer_create_file(const char *path);
/// The errno of a failed cpng_writer_create_file, 0 when the file was created.
int cpng_writer_open_errno(const cpng_writer *writer);
/// errno of the last failed write, flush or close of the output file (ENOSPC for a full disk), else 0.
int cpng_writer_write_errno(const cpng_writer *writer);
/// Creates a writer that collects the PNG in memory.
cpng_writer *cpng_writer_create_memory(void);
/// The last error message, or an empty string.
const char *cpng_writer_error(const cpng_writer *writer);
/// Writes the signature, IHDR, the palette (given, or the source's), the source's color chunks
/// (tRNS, gAMA, sRGB, iCCP, cHRM, pHYs) when source is not NULL, and the text chunks.
int cpng_writer_begin(cpng_writer *writer, uint32_t width, uint32_t height, int bit_depth, int color_type,
                      const cpng_write_options *options, const uint8_t *palette_rgb, int palette_count,
                      const cpng_reader *source, const cpng_text *texts, int text_count);
/// Writes count rows (16-bit samples big-endian; depths below 8 one sample per byte), stride bytes apart.
int cpng_writer_write_rows(cpng_writer *writer, const uint8_t *rows, uint32_t count, size_t stride);
/// Writes IEND and flushes; for a file writer, fsyncs (unless told not to) and closes the file.
int cpng_writer_finish(cpng_writer *writer);
/// With durable 0, finishing a file writer does not fsync (for files that can be made again).
void cpng_writer_set_durable(cpng_writer *writer, int durable);
/// The encoded bytes of a finished memory writer.
const uint8_t *cpng_writer_bytes(const cpng_writer *writer, size_t *length);
/// Frees the writer; a file writer that did not finish closes its file (the caller removes it).
void cpng_writer_destroy(cpng_writer *writer);

/// zlib's CRC-32 (the one PNG chunks carry), continued from `crc` over `count` bytes.
uint32_t cpng_crc32(uint32_t crc, const uint8_t *bytes, size_t count);

/// `count` bytes gzip-encoded into `output`; the encoded length, or 0 when `capacity` is too small.
size_t cpng_gzip(const uint8_t *input, size_t count, uint8_t *output, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
