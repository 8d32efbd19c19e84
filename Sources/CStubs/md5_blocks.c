// MD5 compression (RFC 1321) over whole 64-byte blocks: one portable stream, and 16 streams at
// once in AVX-512 lanes ("multi-buffer", as in Intel ISA-L and minio/md5-simd). Padding and
// streaming live in Swift (CoreStore/Hashing); this file only advances states.
#include "cstubs.h"
#include <string.h>

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

// ---- one stream

// The message word and constant are added first, off the chain that waits for `b` (the
// previous step's result); G is written as a sum of disjoint terms for the same reason.
#define ROTL32(x, s) (((x) << (s)) | ((x) >> (32 - (s))))
#define STEP(f, a, b, c, d, m, k, s) a += (m) + (k); a += f(b, c, d); a = ROTL32(a, s) + b
#define STEPG(a, b, c, d, m, k, s) a += (m) + (k) + (c & ~d); a += b & d; a = ROTL32(a, s) + b
#define SF(b, c, d) (d ^ (b & (c ^ d)))
#define SH(b, c, d) (b ^ c ^ d)
#define SI(b, c, d) (c ^ (b | ~d))

void cstubs_md5_blocks(uint32_t *state, const uint8_t *data, size_t blocks) {
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (size_t n = 0; n < blocks; n++, data += 64) {
        uint32_t m[16];
        memcpy(m, data, 64);  // little-endian hosts only (x86-64, arm64)
        const uint32_t a0 = a, b0 = b, c0 = c, d0 = d;
        for (int i = 0; i < 16; i += 4) {
            STEP(SF, a, b, c, d, m[i], md5_k[i], 7);
            STEP(SF, d, a, b, c, m[i + 1], md5_k[i + 1], 12);
            STEP(SF, c, d, a, b, m[i + 2], md5_k[i + 2], 17);
            STEP(SF, b, c, d, a, m[i + 3], md5_k[i + 3], 22);
        }
        for (int i = 16; i < 32; i += 4) {
            STEPG(a, b, c, d, m[(5 * i + 1) & 15], md5_k[i], 5);
            STEPG(d, a, b, c, m[(5 * i + 6) & 15], md5_k[i + 1], 9);
            STEPG(c, d, a, b, m[(5 * i + 11) & 15], md5_k[i + 2], 14);
            STEPG(b, c, d, a, m[(5 * i + 16) & 15], md5_k[i + 3], 20);
        }
        for (int i = 32; i < 48; i += 4) {
            STEP(SH, a, b, c, d, m[(3 * i + 5) & 15], md5_k[i], 4);
            STEP(SH, d, a, b, c, m[(3 * i + 8) & 15], md5_k[i + 1], 11);
            STEP(SH, c, d, a, b, m[(3 * i + 11) & 15], md5_k[i + 2], 16);
            STEP(SH, b, c, d, a, m[(3 * i + 14) & 15], md5_k[i + 3], 23);
        }
        for (int i = 48; i < 64; i += 4) {
            STEP(SI, a, b, c, d, m[(7 * i) & 15], md5_k[i], 6);
            STEP(SI, d, a, b, c, m[(7 * i + 7) & 15], md5_k[i + 1], 10);
            STEP(SI, c, d, a, b, m[(7 * i + 14) & 15], md5_k[i + 2], 15);
            STEP(SI, b, c, d, a, m[(7 * i + 21) & 15], md5_k[i + 3], 21);
        }
        a += a0; b += b0; c += c0; d += d0;
    }
    state[0] = a; state[1] = b; state[2] = c; state[3] = d;
}

// ---- sixteen streams (x86-64 with AVX-512F)

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))

int cstubs_md5x16_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

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
                                _mm512_add_epi32(m, _mm512_set1_epi32((int)md5_k[i]))),            \
               s))

void AVX512 cstubs_md5x16_blocks(uint32_t *state, const uint8_t *const *data, size_t blocks) {
    __m512i a = _mm512_loadu_si512(state), b = _mm512_loadu_si512(state + 16);
    __m512i c = _mm512_loadu_si512(state + 32), d = _mm512_loadu_si512(state + 48);
    for (size_t n = 0; n < blocks; n++) {
        __m512i m[16];
        for (int j = 0; j < 16; j++) m[j] = _mm512_loadu_si512(data[j] + 64 * n);
        transpose16(m);
        const __m512i a0 = a, b0 = b, c0 = c, d0 = d;
        VSTEP(VF, a, b, c, d, m[0], 0, 7);    VSTEP(VF, d, a, b, c, m[1], 1, 12);
        VSTEP(VF, c, d, a, b, m[2], 2, 17);   VSTEP(VF, b, c, d, a, m[3], 3, 22);
        VSTEP(VF, a, b, c, d, m[4], 4, 7);    VSTEP(VF, d, a, b, c, m[5], 5, 12);
        VSTEP(VF, c, d, a, b, m[6], 6, 17);   VSTEP(VF, b, c, d, a, m[7], 7, 22);
        VSTEP(VF, a, b, c, d, m[8], 8, 7);    VSTEP(VF, d, a, b, c, m[9], 9, 12);
        VSTEP(VF, c, d, a, b, m[10], 10, 17); VSTEP(VF, b, c, d, a, m[11], 11, 22);
        VSTEP(VF, a, b, c, d, m[12], 12, 7);  VSTEP(VF, d, a, b, c, m[13], 13, 12);
        VSTEP(VF, c, d, a, b, m[14], 14, 17); VSTEP(VF, b, c, d, a, m[15], 15, 22);

        VSTEP(VG, a, b, c, d, m[1], 16, 5);   VSTEP(VG, d, a, b, c, m[6], 17, 9);
        VSTEP(VG, c, d, a, b, m[11], 18, 14); VSTEP(VG, b, c, d, a, m[0], 19, 20);
        VSTEP(VG, a, b, c, d, m[5], 20, 5);   VSTEP(VG, d, a, b, c, m[10], 21, 9);
        VSTEP(VG, c, d, a, b, m[15], 22, 14); VSTEP(VG, b, c, d, a, m[4], 23, 20);
        VSTEP(VG, a, b, c, d, m[9], 24, 5);   VSTEP(VG, d, a, b, c, m[14], 25, 9);
        VSTEP(VG, c, d, a, b, m[3], 26, 14);  VSTEP(VG, b, c, d, a, m[8], 27, 20);
        VSTEP(VG, a, b, c, d, m[13], 28, 5);  VSTEP(VG, d, a, b, c, m[2], 29, 9);
        VSTEP(VG, c, d, a, b, m[7], 30, 14);  VSTEP(VG, b, c, d, a, m[12], 31, 20);

        VSTEP(VH, a, b, c, d, m[5], 32, 4);   VSTEP(VH, d, a, b, c, m[8], 33, 11);
        VSTEP(VH, c, d, a, b, m[11], 34, 16); VSTEP(VH, b, c, d, a, m[14], 35, 23);
        VSTEP(VH, a, b, c, d, m[1], 36, 4);   VSTEP(VH, d, a, b, c, m[4], 37, 11);
        VSTEP(VH, c, d, a, b, m[7], 38, 16);  VSTEP(VH, b, c, d, a, m[10], 39, 23);
        VSTEP(VH, a, b, c, d, m[13], 40, 4);  VSTEP(VH, d, a, b, c, m[0], 41, 11);
        VSTEP(VH, c, d, a, b, m[3], 42, 16);  VSTEP(VH, b, c, d, a, m[6], 43, 23);
        VSTEP(VH, a, b, c, d, m[9], 44, 4);   VSTEP(VH, d, a, b, c, m[12], 45, 11);
        VSTEP(VH, c, d, a, b, m[15], 46, 16); VSTEP(VH, b, c, d, a, m[2], 47, 23);

        VSTEP(VI, a, b, c, d, m[0], 48, 6);   VSTEP(VI, d, a, b, c, m[7], 49, 10);
        VSTEP(VI, c, d, a, b, m[14], 50, 15); VSTEP(VI, b, c, d, a, m[5], 51, 21);
        VSTEP(VI, a, b, c, d, m[12], 52, 6);  VSTEP(VI, d, a, b, c, m[3], 53, 10);
        VSTEP(VI, c, d, a, b, m[10], 54, 15); VSTEP(VI, b, c, d, a, m[1], 55, 21);
        VSTEP(VI, a, b, c, d, m[8], 56, 6);   VSTEP(VI, d, a, b, c, m[15], 57, 10);
        VSTEP(VI, c, d, a, b, m[6], 58, 15);  VSTEP(VI, b, c, d, a, m[13], 59, 21);
        VSTEP(VI, a, b, c, d, m[4], 60, 6);   VSTEP(VI, d, a, b, c, m[11], 61, 10);
        VSTEP(VI, c, d, a, b, m[2], 62, 15);  VSTEP(VI, b, c, d, a, m[9], 63, 21);

        a = _mm512_add_epi32(a, a0); b = _mm512_add_epi32(b, b0);
        c = _mm512_add_epi32(c, c0); d = _mm512_add_epi32(d, d0);
    }
    _mm512_storeu_si512(state, a); _mm512_storeu_si512(state + 16, b);
    _mm512_storeu_si512(state + 32, c); _mm512_storeu_si512(state + 48, d);
}

#else

int cstubs_md5x16_available(void) { return 0; }

void cstubs_md5x16_blocks(uint32_t *state, const uint8_t *const *data, size_t blocks) {
    for (int lane = 0; lane < 16; lane++) {
        uint32_t s[4] = {state[lane], state[16 + lane], state[32 + lane], state[48 + lane]};
        cstubs_md5_blocks(s, data[lane], blocks);
        state[lane] = s[0]; state[16 + lane] = s[1]; state[32 + lane] = s[2]; state[48 + lane] = s[3];
    }
}

#endif
