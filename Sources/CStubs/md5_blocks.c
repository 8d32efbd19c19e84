// MD5 compression (RFC 1321) over whole 64-byte blocks, one stream: the portable kernel every CPU
// runs, and the reference the multi-buffer kernels (md5_avx512.c, md5_avx2.c) are tested against.
// Padding and streaming live in Swift (CoreStore/Hashing); the kernels only advance states.
#include "cstubs.h"
#include "md5_steps.h"
#include <string.h>

const uint32_t cstubs_md5_k[64] = {
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
            STEP(SF, a, b, c, d, m[i], cstubs_md5_k[i], 7);
            STEP(SF, d, a, b, c, m[i + 1], cstubs_md5_k[i + 1], 12);
            STEP(SF, c, d, a, b, m[i + 2], cstubs_md5_k[i + 2], 17);
            STEP(SF, b, c, d, a, m[i + 3], cstubs_md5_k[i + 3], 22);
        }
        for (int i = 16; i < 32; i += 4) {
            STEPG(a, b, c, d, m[(5 * i + 1) & 15], cstubs_md5_k[i], 5);
            STEPG(d, a, b, c, m[(5 * i + 6) & 15], cstubs_md5_k[i + 1], 9);
            STEPG(c, d, a, b, m[(5 * i + 11) & 15], cstubs_md5_k[i + 2], 14);
            STEPG(b, c, d, a, m[(5 * i + 16) & 15], cstubs_md5_k[i + 3], 20);
        }
        for (int i = 32; i < 48; i += 4) {
            STEP(SH, a, b, c, d, m[(3 * i + 5) & 15], cstubs_md5_k[i], 4);
            STEP(SH, d, a, b, c, m[(3 * i + 8) & 15], cstubs_md5_k[i + 1], 11);
            STEP(SH, c, d, a, b, m[(3 * i + 11) & 15], cstubs_md5_k[i + 2], 16);
            STEP(SH, b, c, d, a, m[(3 * i + 14) & 15], cstubs_md5_k[i + 3], 23);
        }
        for (int i = 48; i < 64; i += 4) {
            STEP(SI, a, b, c, d, m[(7 * i) & 15], cstubs_md5_k[i], 6);
            STEP(SI, d, a, b, c, m[(7 * i + 7) & 15], cstubs_md5_k[i + 1], 10);
            STEP(SI, c, d, a, b, m[(7 * i + 14) & 15], cstubs_md5_k[i + 2], 15);
            STEP(SI, b, c, d, a, m[(7 * i + 21) & 15], cstubs_md5_k[i + 3], 21);
        }
        a += a0; b += b0; c += c0; d += d0;
    }
    state[0] = a; state[1] = b; state[2] = c; state[3] = d;
}

void cstubs_md5_lanes_portable(uint32_t *state, const uint8_t *const *data, int lanes, size_t blocks) {
    for (int lane = 0; lane < lanes; lane++) {
        uint32_t s[4] = {state[lane], state[16 + lane], state[32 + lane], state[48 + lane]};
        cstubs_md5_blocks(s, data[lane], blocks);
        state[lane] = s[0]; state[16 + lane] = s[1]; state[32 + lane] = s[2]; state[48 + lane] = s[3];
    }
}
