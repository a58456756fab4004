// zlib for Swift: CRC-32 (PNG chunk CRCs checked as a download streams in) and gzip (the simulator's encoded
// answers).
#include <zlib.h>

#include "cpng.h"

uint32_t cpng_crc32(uint32_t crc, const uint8_t *bytes, size_t count) {
  while (count > 0) {
    // zlib takes an unsigned int length.
    uInt piece = count > 0x40000000u ? 0x40000000u : (uInt)count;
    crc = (uint32_t)crc32(crc, bytes, piece);
    bytes += piece;
    count -= piece;
  }
  return crc;
}

size_t cpng_gzip(const uint8_t *input, size_t count, uint8_t *output, size_t capacity) {
  z_stream stream = {0};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
  stream.next_in = (Bytef *)input;
  stream.avail_in = (uInt)count;
  stream.next_out = output;
  stream.avail_out = (uInt)capacity;
  int status = deflate(&stream, Z_FINISH);
  size_t written = stream.total_out;
  deflateEnd(&stream);
  return status == Z_STREAM_END ? written : 0;
}
