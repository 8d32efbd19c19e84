// MD5 kernel throughput from memory, for docs/decisions/0017 (built and run by scripts/bench-md5).
// Each kernel hashes `lanes` streams of 4 MiB, best of 5 runs in thread CPU time (as `openssl speed`,
// the reference, counts); prints a markdown table: the time one kernel call (or one-stream call per
// lane) takes per 64-byte block round, and the aggregate MB/s.
#include "cstubs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { BLOCKS = 4 * 1024 * 1024 / 64, RUNS = 5 };

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);  // CPU time: other load on the box does not count
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef void (*kernel_fn)(uint32_t *, const uint8_t *const *, size_t);

static void scalar_lanes16(uint32_t *s, const uint8_t *const *d, size_t b) { cstubs_md5_lanes_portable(s, d, 16, b); }
static void scalar_lanes8(uint32_t *s, const uint8_t *const *d, size_t b) { cstubs_md5_lanes_portable(s, d, 8, b); }
static void scalar_lane1(uint32_t *s, const uint8_t *const *d, size_t b) { cstubs_md5_lanes_portable(s, d, 1, b); }

// Best wall time of one call over BLOCKS blocks per lane.
static double best_time(kernel_fn kernel, const uint8_t *const *data) {
    uint32_t state[64] = {0};
    double best = 1e9;
    for (int run = 0; run < RUNS; run++) {
        const double start = seconds();
        kernel(state, data, BLOCKS);
        const double took = seconds() - start;
        if (took < best) best = took;
    }
    if (state[0] == 42) printf("(unlikely)\n");  // keeps the work observable
    return best;
}

static void row(const char *name, int lanes, kernel_fn kernel, const uint8_t *const *data) {
    const double took = best_time(kernel, data);
    const double mb = (double)lanes * BLOCKS * 64 / 1e6;
    printf("| %s | %d | %.1f | %.0f |\n", name, lanes, took / BLOCKS * 1e9, mb / took);
}

int main(void) {
    const uint8_t *data[16];
    for (int lane = 0; lane < 16; lane++) {
        uint8_t *bytes = malloc((size_t)BLOCKS * 64);
        for (size_t i = 0; i < (size_t)BLOCKS * 64; i++) bytes[i] = (uint8_t)(i * 2654435761u >> (lane % 24));
        data[lane] = bytes;
    }
    printf("CPU features: %s%s; UDS_SIMD allows: %s%s\n\n", (cstubs_simd_cpu() & CSTUBS_SIMD_AVX2) ? "avx2 " : "",
           (cstubs_simd_cpu() & CSTUBS_SIMD_AVX512F) ? "avx512f" : "", (cstubs_simd_allowed() & CSTUBS_SIMD_AVX2) ? "avx2 " : "",
           (cstubs_simd_allowed() & CSTUBS_SIMD_AVX512F) ? "avx512f" : "");
    printf("| kernel | streams | ns per block round | MB/s, all streams |\n|---|---:|---:|---:|\n");
    row("scalar (portable C)", 1, scalar_lane1, data);
    row("scalar, lane after lane", 8, scalar_lanes8, data);
    row("scalar, lane after lane", 16, scalar_lanes16, data);
    if (cstubs_simd_allowed() & CSTUBS_SIMD_AVX2) row("avx2x8", 8, cstubs_md5x8_blocks, data);
    else printf("| avx2x8 | 8 | not run: not allowed here | |\n");
    if (cstubs_simd_allowed() & CSTUBS_SIMD_AVX512F) row("avx512x16", 16, cstubs_md5x16_blocks, data);
    else printf("| avx512x16 | 16 | not run: not allowed here | |\n");
    return 0;
}
