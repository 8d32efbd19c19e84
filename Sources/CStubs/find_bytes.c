#include "cstubs.h"
#include <string.h>

// 16 candidate positions per step: a position can start `needle` only if its first byte and the
// byte `length - 1` further on both match (the "generic SIMD" substring search); the few that
// pass are checked with memcmp. GCC/Clang vector extensions compile to SSE2 on x86-64 and NEON
// on arm64, so no target attribute or runtime dispatch is needed.
typedef uint8_t cstubs_bytes16 __attribute__((vector_size(16)));

long cstubs_find_bytes(const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length) {
    if (length == 0) return 0;
    if (count < length) return -1;
    const uint8_t first = needle[0], last = needle[length - 1];
    const size_t positions = count - length + 1;  // candidate start positions
    size_t index = 0;
    const cstubs_bytes16 firsts = (cstubs_bytes16){0} + first;
    const cstubs_bytes16 lasts = (cstubs_bytes16){0} + last;
    for (; index + 16 <= positions; index += 16) {
        cstubs_bytes16 head, tail;
        memcpy(&head, haystack + index, 16);
        memcpy(&tail, haystack + index + length - 1, 16);
        cstubs_bytes16 both = (cstubs_bytes16)((head == firsts) & (tail == lasts));
        uint64_t low, high;
        memcpy(&low, &both, 8);
        memcpy(&high, (const uint8_t *)&both + 8, 8);
        if ((low | high) == 0) continue;
        for (size_t lane = 0; lane < 16; lane++) {
            if (both[lane] && memcmp(haystack + index + lane, needle, length) == 0) return (long)(index + lane);
        }
    }
    for (; index < positions; index++) {
        if (haystack[index] == first && haystack[index + length - 1] == last &&
            memcmp(haystack + index, needle, length) == 0) return (long)index;
    }
    return -1;
}
