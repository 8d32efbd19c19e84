// MD5 of 8 independent streams at once in AVX2 lanes, for CPUs without AVX-512 (AMD EPYC before
// Zen 4, older Intel). AVX2 has neither a rotate nor a three-input logic instruction, so a step
// takes two shifts and an or for the rotate and two or three ops for the round function.
// Callers run it only where cstubs_simd_allowed() has CSTUBS_SIMD_AVX2.
#include "cstubs.h"
#include "md5_steps.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

// Transposes 8 rows of 8 dwords in place: out[k] lane j = in[j] dword k.
static inline AVX2 void transpose8(__m256i r[8]) {
    __m256i t[8], u[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    for (int g = 0; g < 2; g++) {
        u[4 * g + 0] = _mm256_unpacklo_epi64(t[4 * g], t[4 * g + 2]);
        u[4 * g + 1] = _mm256_unpackhi_epi64(t[4 * g], t[4 * g + 2]);
        u[4 * g + 2] = _mm256_unpacklo_epi64(t[4 * g + 1], t[4 * g + 3]);
        u[4 * g + 3] = _mm256_unpackhi_epi64(t[4 * g + 1], t[4 * g + 3]);
    }
    // u[m] holds dwords m and 4+m of rows 0-3, u[4+m] the same of rows 4-7.
    for (int m = 0; m < 4; m++) {
        r[m] = _mm256_permute2x128_si256(u[m], u[4 + m], 0x20);
        r[4 + m] = _mm256_permute2x128_si256(u[m], u[4 + m], 0x31);
    }
}

#define VF(b, c, d) _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d)))
#define VG(b, c, d) _mm256_xor_si256(c, _mm256_and_si256(d, _mm256_xor_si256(b, c)))
#define VH(b, c, d) _mm256_xor_si256(_mm256_xor_si256(b, c), d)
#define VI(b, c, d) _mm256_xor_si256(c, _mm256_or_si256(b, _mm256_xor_si256(d, ones)))
#define VROTL(x, s) _mm256_or_si256(_mm256_slli_epi32(x, s), _mm256_srli_epi32(x, 32 - (s)))
#define VSTEP(f, a, b, c, d, m, i, s)                                                              \
    a = _mm256_add_epi32(a, _mm256_add_epi32(m, _mm256_set1_epi32((int)cstubs_md5_k[i])));         \
    a = _mm256_add_epi32(a, f(b, c, d));                                                           \
    a = _mm256_add_epi32(b, VROTL(a, s))

void AVX2 cstubs_md5x8_blocks(uint32_t *state, const uint8_t *const *data, size_t blocks) {
    const __m256i ones = _mm256_set1_epi32(-1);
    __m256i a = _mm256_loadu_si256((const __m256i *)state);
    __m256i b = _mm256_loadu_si256((const __m256i *)(state + 16));
    __m256i c = _mm256_loadu_si256((const __m256i *)(state + 32));
    __m256i d = _mm256_loadu_si256((const __m256i *)(state + 48));
    for (size_t n = 0; n < blocks; n++) {
        __m256i low[8], high[8], m[16];
        for (int j = 0; j < 8; j++) {
            low[j] = _mm256_loadu_si256((const __m256i *)(data[j] + 64 * n));
            high[j] = _mm256_loadu_si256((const __m256i *)(data[j] + 64 * n + 32));
        }
        transpose8(low);
        transpose8(high);
        for (int k = 0; k < 8; k++) { m[k] = low[k]; m[8 + k] = high[k]; }
        const __m256i a0 = a, b0 = b, c0 = c, d0 = d;
        CSTUBS_MD5_ALL_STEPS(VSTEP, VF, VG, VH, VI, m);
        a = _mm256_add_epi32(a, a0); b = _mm256_add_epi32(b, b0);
        c = _mm256_add_epi32(c, c0); d = _mm256_add_epi32(d, d0);
    }
    _mm256_storeu_si256((__m256i *)state, a);
    _mm256_storeu_si256((__m256i *)(state + 16), b);
    _mm256_storeu_si256((__m256i *)(state + 32), c);
    _mm256_storeu_si256((__m256i *)(state + 48), d);
}

#else

// Without x86-64 there is no AVX2: the lanes one after another (never selected, kept so the
// symbol exists on every architecture).
void cstubs_md5x8_blocks(uint32_t *state, const uint8_t *const *data, size_t blocks) {
    cstubs_md5_lanes_portable(state, data, 8, blocks);
}

#endif
