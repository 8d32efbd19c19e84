// What the MD5 kernels share (not part of the public header): the round constants and the 64
// steps in order, so each vector kernel only says how one step is computed.
#ifndef CSTUBS_MD5_STEPS_H
#define CSTUBS_MD5_STEPS_H
#include <stdint.h>

// RFC 1321's T[1..64], defined in md5_blocks.c.
extern const uint32_t cstubs_md5_k[64];

// The 64 steps of one block: STEP(round function, a, b, c, d, message word, step index, shift),
// with the round functions named F, G, H and I by the caller.
#define CSTUBS_MD5_ALL_STEPS(STEP, F, G, H, I, m)                                                  \
    STEP(F, a, b, c, d, m[0], 0, 7);    STEP(F, d, a, b, c, m[1], 1, 12);                          \
    STEP(F, c, d, a, b, m[2], 2, 17);   STEP(F, b, c, d, a, m[3], 3, 22);                          \
    STEP(F, a, b, c, d, m[4], 4, 7);    STEP(F, d, a, b, c, m[5], 5, 12);                          \
    STEP(F, c, d, a, b, m[6], 6, 17);   STEP(F, b, c, d, a, m[7], 7, 22);                          \
    STEP(F, a, b, c, d, m[8], 8, 7);    STEP(F, d, a, b, c, m[9], 9, 12);                          \
    STEP(F, c, d, a, b, m[10], 10, 17); STEP(F, b, c, d, a, m[11], 11, 22);                        \
    STEP(F, a, b, c, d, m[12], 12, 7);  STEP(F, d, a, b, c, m[13], 13, 12);                        \
    STEP(F, c, d, a, b, m[14], 14, 17); STEP(F, b, c, d, a, m[15], 15, 22);                        \
    STEP(G, a, b, c, d, m[1], 16, 5);   STEP(G, d, a, b, c, m[6], 17, 9);                          \
    STEP(G, c, d, a, b, m[11], 18, 14); STEP(G, b, c, d, a, m[0], 19, 20);                         \
    STEP(G, a, b, c, d, m[5], 20, 5);   STEP(G, d, a, b, c, m[10], 21, 9);                         \
    STEP(G, c, d, a, b, m[15], 22, 14); STEP(G, b, c, d, a, m[4], 23, 20);                         \
    STEP(G, a, b, c, d, m[9], 24, 5);   STEP(G, d, a, b, c, m[14], 25, 9);                         \
    STEP(G, c, d, a, b, m[3], 26, 14);  STEP(G, b, c, d, a, m[8], 27, 20);                         \
    STEP(G, a, b, c, d, m[13], 28, 5);  STEP(G, d, a, b, c, m[2], 29, 9);                          \
    STEP(G, c, d, a, b, m[7], 30, 14);  STEP(G, b, c, d, a, m[12], 31, 20);                        \
    STEP(H, a, b, c, d, m[5], 32, 4);   STEP(H, d, a, b, c, m[8], 33, 11);                         \
    STEP(H, c, d, a, b, m[11], 34, 16); STEP(H, b, c, d, a, m[14], 35, 23);                        \
    STEP(H, a, b, c, d, m[1], 36, 4);   STEP(H, d, a, b, c, m[4], 37, 11);                         \
    STEP(H, c, d, a, b, m[7], 38, 16);  STEP(H, b, c, d, a, m[10], 39, 23);                        \
    STEP(H, a, b, c, d, m[13], 40, 4);  STEP(H, d, a, b, c, m[0], 41, 11);                         \
    STEP(H, c, d, a, b, m[3], 42, 16);  STEP(H, b, c, d, a, m[6], 43, 23);                         \
    STEP(H, a, b, c, d, m[9], 44, 4);   STEP(H, d, a, b, c, m[12], 45, 11);                        \
    STEP(H, c, d, a, b, m[15], 46, 16); STEP(H, b, c, d, a, m[2], 47, 23);                         \
    STEP(I, a, b, c, d, m[0], 48, 6);   STEP(I, d, a, b, c, m[7], 49, 10);                         \
    STEP(I, c, d, a, b, m[14], 50, 15); STEP(I, b, c, d, a, m[5], 51, 21);                         \
    STEP(I, a, b, c, d, m[12], 52, 6);  STEP(I, d, a, b, c, m[3], 53, 10);                         \
    STEP(I, c, d, a, b, m[10], 54, 15); STEP(I, b, c, d, a, m[1], 55, 21);                         \
    STEP(I, a, b, c, d, m[8], 56, 6);   STEP(I, d, a, b, c, m[15], 57, 10);                        \
    STEP(I, c, d, a, b, m[6], 58, 15);  STEP(I, b, c, d, a, m[13], 59, 21);                        \
    STEP(I, a, b, c, d, m[4], 60, 6);   STEP(I, d, a, b, c, m[11], 61, 10);                        \
    STEP(I, c, d, a, b, m[2], 62, 15);  STEP(I, b, c, d, a, m[9], 63, 21)

#endif
