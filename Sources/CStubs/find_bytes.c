#include "cstubs.h"
#include <string.h>

// The portable search, 16 candidate positions per step: a position can start `needle` only if its
// first byte and the byte `length - 1` further on both match (the "generic SIMD" substring search);
// the few that pass are checked with memcmp. GCC/Clang vector extensions compile to SSE2 on x86-64 and NEON
// on arm64, so no target attribute or runtime dispatch is needed.
typedef uint8_t cstubs_bytes16 __attribute__((vector_size(16)));

long cstubs_find_bytes_portable(const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length) {
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

#if defined(__x86_64__)
#include <immintrin.h>

// The same filter 32 positions per step, with one movemask per step. On the benchmark box, 5 MiB
// in 64 KiB pieces from memory: 0.33 ms portable, 0.17 ms here.
__attribute__((target("avx2"))) long cstubs_find_bytes_avx2(
    const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length) {
    if (length == 0) return 0;
    if (count < length) return -1;
    const size_t positions = count - length + 1;
    const __m256i firsts = _mm256_set1_epi8((char)needle[0]);
    const __m256i lasts = _mm256_set1_epi8((char)needle[length - 1]);
    size_t index = 0;
    for (; index + 32 <= positions; index += 32) {
        const __m256i head = _mm256_loadu_si256((const __m256i *)(haystack + index));
        const __m256i tail = _mm256_loadu_si256((const __m256i *)(haystack + index + length - 1));
        uint32_t both = (uint32_t)_mm256_movemask_epi8(
            _mm256_and_si256(_mm256_cmpeq_epi8(head, firsts), _mm256_cmpeq_epi8(tail, lasts)));
        while (both != 0) {
            const size_t lane = (size_t)__builtin_ctz(both);
            if (memcmp(haystack + index + lane, needle, length) == 0) return (long)(index + lane);
            both &= both - 1;
        }
    }
    const long rest = cstubs_find_bytes_portable(haystack + index, count - index, needle, length);
    return rest < 0 ? -1 : (long)index + rest;
}

long cstubs_find_bytes(const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length) {
    return (cstubs_simd_allowed() & CSTUBS_SIMD_AVX2) ? cstubs_find_bytes_avx2(haystack, count, needle, length)
                                                       : cstubs_find_bytes_portable(haystack, count, needle, length);
}
#else
// Never selected without x86-64 (kept so the symbol exists on every architecture).
long cstubs_find_bytes_avx2(const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length) {
    return cstubs_find_bytes_portable(haystack, count, needle, length);
}

long cstubs_find_bytes(const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length) {
    return cstubs_find_bytes_portable(haystack, count, needle, length);
}
#endif
