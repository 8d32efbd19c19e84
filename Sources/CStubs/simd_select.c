// Which vector instructions the kernels may use: what the CPU offers (and the OS has enabled),
// limited by the UDS_SIMD environment variable. Read once before main, so every process that
// links CStubs (the nodes, the tests, the benchmarks) selects before its first kernel runs.
#include "cstubs.h"
#include <stdlib.h>
#include <string.h>

static int cpu_features;
static int allowed_features;

int cstubs_simd_limit(const char *setting) {
    if (setting == NULL || setting[0] == 0 || strcmp(setting, "auto") == 0) return CSTUBS_SIMD_AVX2 | CSTUBS_SIMD_AVX512F;
    if (strcmp(setting, "avx2") == 0) return CSTUBS_SIMD_AVX2;
    if (strcmp(setting, "portable") == 0) return 0;
    return -1;
}

__attribute__((constructor)) static void select_simd(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();  // required before __builtin_cpu_supports in a constructor
    if (__builtin_cpu_supports("avx2")) cpu_features |= CSTUBS_SIMD_AVX2;
    if (__builtin_cpu_supports("avx512f")) cpu_features |= CSTUBS_SIMD_AVX512F;
#endif
    const int limit = cstubs_simd_limit(getenv("UDS_SIMD"));
    // An unknown value selects nothing faster than portable; the nodes refuse to start with it.
    allowed_features = cpu_features & (limit < 0 ? 0 : limit);
}

int cstubs_simd_cpu(void) { return cpu_features; }
int cstubs_simd_allowed(void) { return allowed_features; }
