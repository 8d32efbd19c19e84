#include "cstubs.h"

#if defined(__x86_64__)
#include <xxh_x86dispatch.h>

// libxxhash's plain entry points use the SSE2 kernel it was built with; the *_dispatch ones pick
// AVX2 or AVX-512 at run time (same hashes). On the benchmark box, 5 MiB in 64 KiB updates from
// memory: 0.45-0.48 ms plain, 0.25-0.26 ms dispatched. The dispatcher cannot be capped, so it runs
// only when UDS_SIMD allows everything the CPU has.
static int use_dispatch(void) {
    return cstubs_simd_allowed() != 0 && cstubs_simd_allowed() == cstubs_simd_cpu();
}

int cstubs_xxh3_dispatched(void) { return use_dispatch(); }

XXH64_hash_t cstubs_xxh3_64_dispatch(const void *input, size_t length) { return XXH3_64bits_dispatch(input, length); }

XXH64_hash_t cstubs_xxh3_64(const void *input, size_t length) {
    return use_dispatch() ? XXH3_64bits_dispatch(input, length) : XXH3_64bits(input, length);
}

XXH_errorcode cstubs_xxh3_update(XXH3_state_t *state, const void *input, size_t length) {
    return use_dispatch() ? XXH3_64bits_update_dispatch(state, input, length) : XXH3_64bits_update(state, input, length);
}
#else
int cstubs_xxh3_dispatched(void) { return 0; }

XXH64_hash_t cstubs_xxh3_64_dispatch(const void *input, size_t length) { return XXH3_64bits(input, length); }

XXH64_hash_t cstubs_xxh3_64(const void *input, size_t length) { return XXH3_64bits(input, length); }

XXH_errorcode cstubs_xxh3_update(XXH3_state_t *state, const void *input, size_t length) {
    return XXH3_64bits_update(state, input, length);
}
#endif
