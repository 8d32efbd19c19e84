// MD5 of 16 independent streams at once in AVX-512 lanes ("multi-buffer", as in Intel ISA-L and
// minio/md5-simd). Callers run it only where cstubs_simd_allowed() has CSTUBS_SIMD_AVX512F.
#include "cstubs.h"
#include "md5_steps.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))

// Transposes 16 rows of 16 dwords in place: out[k] lane j = in[j] dword k.
static inline AVX512 void transpose16(__m512i r[16]) {
    __m512i t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    __m512i u[16];
    for (int g = 0; g < 4; g++) {
        u[4 * g + 0] = _mm512_unpacklo_epi64(t[4 * g], t[4 * g + 2]);
        u[4 * g + 1] = _mm512_unpackhi_epi64(t[4 * g], t[4 * g + 2]);
        u[4 * g + 2] = _mm512_unpacklo_epi64(t[4 * g + 1], t[4 * g + 3]);
        u[4 * g + 3] = _mm512_unpackhi_epi64(t[4 * g + 1], t[4 * g + 3]);
    }
    // u[4g+m], 128-bit chunk c = dword 4c+m of rows 4g..4g+3: transpose the 4x4 chunks per m.
    for (int m = 0; m < 4; m++) {
        __m512i x0 = _mm512_shuffle_i32x4(u[m], u[4 + m], 0x44);
        __m512i x1 = _mm512_shuffle_i32x4(u[m], u[4 + m], 0xEE);
        __m512i x2 = _mm512_shuffle_i32x4(u[8 + m], u[12 + m], 0x44);
        __m512i x3 = _mm512_shuffle_i32x4(u[8 + m], u[12 + m], 0xEE);
        r[m] = _mm512_shuffle_i32x4(x0, x2, 0x88);
        r[4 + m] = _mm512_shuffle_i32x4(x0, x2, 0xDD);
        r[8 + m] = _mm512_shuffle_i32x4(x1, x3, 0x88);
        r[12 + m] = _mm512_shuffle_i32x4(x1, x3, 0xDD);
    }
}

#define VF(b, c, d) _mm512_ternarylogic_epi32(b, c, d, 0xCA)
#define VG(b, c, d) _mm512_ternarylogic_epi32(d, b, c, 0xCA)
#define VH(b, c, d) _mm512_ternarylogic_epi32(b, c, d, 0x96)
#define VI(b, c, d) _mm512_ternarylogic_epi32(b, c, d, 0x39)
#define VSTEP(f, a, b, c, d, m, i, s)                                                              \
    a = _mm512_add_epi32(                                                                          \
        b, _mm512_rol_epi32(                                                                       \
               _mm512_add_epi32(_mm512_add_epi32(a, f(b, c, d)),                                   \
                                _mm512_add_epi32(m, _mm512_set1_epi32((int)cstubs_md5_k[i]))),     \
               s))

void AVX512 cstubs_md5x16_blocks(uint32_t *state, const uint8_t *const *data, size_t blocks) {
    __m512i a = _mm512_loadu_si512(state), b = _mm512_loadu_si512(state + 16);
    __m512i c = _mm512_loadu_si512(state + 32), d = _mm512_loadu_si512(state + 48);
    for (size_t n = 0; n < blocks; n++) {
        __m512i m[16];
        for (int j = 0; j < 16; j++) m[j] = _mm512_loadu_si512(data[j] + 64 * n);
        transpose16(m);
        const __m512i a0 = a, b0 = b, c0 = c, d0 = d;
        CSTUBS_MD5_ALL_STEPS(VSTEP, VF, VG, VH, VI, m);
        a = _mm512_add_epi32(a, a0); b = _mm512_add_epi32(b, b0);
        c = _mm512_add_epi32(c, c0); d = _mm512_add_epi32(d, d0);
    }
    _mm512_storeu_si512(state, a); _mm512_storeu_si512(state + 16, b);
    _mm512_storeu_si512(state + 32, c); _mm512_storeu_si512(state + 48, d);
}

#else

// Without x86-64 there is no AVX-512: the lanes one after another (never selected, kept so the
// symbol exists on every architecture).
void cstubs_md5x16_blocks(uint32_t *state, const uint8_t *const *data, size_t blocks) {
    cstubs_md5_lanes_portable(state, data, 16, blocks);
}

#endif
