// zlib's CRC-32 for Swift, which checks PNG chunk CRCs as a download streams in.
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
