// Known-answer check of the CStubs kernels that every architecture runs (built and run under
// qemu-aarch64 by scripts/check-arm64-kernels; runs natively too). Exit 0 when all pass.
#include "cstubs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void expect(int ok, const char *what) {
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok) failures++;
}

// MD5 of `length` bytes through the lane entry point `lanes_fn` (all 16 lanes hash the same message).
static void md5_hex(const uint8_t *message, size_t length, int kernel, char out[33]) {
    const size_t padded = (length + 9 + 63) / 64 * 64;
    uint8_t *block = calloc(padded, 1);
    memcpy(block, message, length);
    block[length] = 0x80;
    const uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) block[padded - 8 + i] = (uint8_t)(bits >> (8 * i));
    uint32_t state[64];
    const uint32_t init[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    for (int word = 0; word < 4; word++) for (int lane = 0; lane < 16; lane++) state[word * 16 + lane] = init[word];
    const uint8_t *data[16];
    for (int lane = 0; lane < 16; lane++) data[lane] = block;
    if (kernel == 16) cstubs_md5x16_blocks(state, data, padded / 64);
    else if (kernel == 8) { cstubs_md5x8_blocks(state, data, padded / 64); cstubs_md5x8_blocks(state + 8, data + 8, padded / 64); }
    else cstubs_md5_lanes_portable(state, data, 16, padded / 64);
    for (int lane = 1; lane < 16; lane++)
        for (int word = 0; word < 4; word++)
            if (state[word * 16 + lane] != state[word * 16]) { strcpy(out, "lanes differ"); free(block); return; }
    for (int word = 0; word < 4; word++)
        for (int byte = 0; byte < 4; byte++) sprintf(out + word * 8 + byte * 2, "%02x", (state[word * 16] >> (8 * byte)) & 0xff);
    free(block);
}

int main(void) {
    printf("simd: cpu %d, allowed %d\n", cstubs_simd_cpu(), cstubs_simd_allowed());
    uint8_t *million = malloc(1000000);
    memset(million, 'a', 1000000);
    struct { const uint8_t *bytes; size_t length; const char *md5; } vectors[] = {
        {(const uint8_t *)"", 0, "d41d8cd98f00b204e9800998ecf8427e"},
        {(const uint8_t *)"abc", 3, "900150983cd24fb0d6963f7d28e17f72"},
        {(const uint8_t *)"12345678901234567890123456789012345678901234567890123456789012345678901234567890", 80,
         "57edf4a22be3c955ac49da2e2107b67a"},
        {million, 1000000, "7707d6ae4e027c70eea2a935c2296f21"},
    };
    const int kernels[] = {1, 8, 16};
    const int needs[] = {0, CSTUBS_SIMD_AVX2, CSTUBS_SIMD_AVX512F};
    for (int k = 0; k < 3; k++) {
        // Off x86-64 the vector entry points are lane loops (no feature needed); on x86-64 only where allowed.
        if (cstubs_simd_cpu() != 0 && needs[k] && !(cstubs_simd_allowed() & needs[k])) continue;
        for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
            char hex[33] = {0}, what[96];
            md5_hex(vectors[v].bytes, vectors[v].length, kernels[k], hex);
            snprintf(what, sizeof what, "md5 %d-lane entry, %zu bytes", kernels[k], vectors[v].length);
            expect(strcmp(hex, vectors[v].md5) == 0, what);
        }
    }
    const char *hay = "----x--boundary--\r\n--boundary\r\n";
    expect(cstubs_find_bytes((const uint8_t *)hay, strlen(hay), (const uint8_t *)"\r\n--boundary", 12) == 17, "find_bytes selected");
    expect(cstubs_find_bytes_portable((const uint8_t *)hay, strlen(hay), (const uint8_t *)"\r\n--boundary", 12) == 17, "find_bytes portable");
    expect(cstubs_find_bytes_portable((const uint8_t *)hay, strlen(hay), (const uint8_t *)"--nope", 6) == -1, "find_bytes absent");
    expect(cstubs_xxh3_64("", 0) == 0x2D06800538D394C2ULL, "xxh3 of the empty input");

    return failures != 0;
}
