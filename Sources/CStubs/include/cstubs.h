// The only C surface of the service: libcurl, hiredis, xxhash and SQLite, plus typed shims
// for the parts Swift cannot call directly. Every shim carries a one-line "why".
#ifndef CSTUBS_H
#define CSTUBS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <xxhash.h>
#include <sqlite3.h>
#include <sys/stat.h>

// why: CURL_GLOBAL_ALL is a macro expression Swift does not import.
CURLcode cstubs_curl_global_init(void);
// why: curl_easy_setopt is variadic; one typed entry per argument kind.
CURLcode cstubs_curl_setopt_long(CURL *handle, CURLoption option, long value);
// why: curl_easy_setopt is variadic; *_LARGE options take curl_off_t.
CURLcode cstubs_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
// why: curl_easy_setopt is variadic; curl copies string arguments.
CURLcode cstubs_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
// why: curl_easy_setopt is variadic; *DATA pointers and the header slist.
CURLcode cstubs_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
// why: curl_easy_setopt is variadic; WRITEFUNCTION and HEADERFUNCTION share this signature.
CURLcode cstubs_curl_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback);
// why: curl_easy_setopt is variadic; READFUNCTION.
CURLcode cstubs_curl_setopt_read_callback(CURL *handle, curl_read_callback callback);
// why: curl_easy_setopt is variadic; XFERINFOFUNCTION (used to cancel a transfer).
CURLcode cstubs_curl_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback);
// why: curl_easy_getinfo is variadic; long-valued infos (RESPONSE_CODE).
CURLcode cstubs_curl_getinfo_long(CURL *handle, CURLINFO info, long *out);
// why: curl_easy_getinfo is variadic; curl_off_t-valued infos (*_T).
CURLcode cstubs_curl_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *out);
// why: CURL_READFUNC_ABORT is a macro of a cast expression.
size_t cstubs_curl_readfunc_abort(void);
// why: CURL_WRITEFUNC_ERROR does not exist in 7.88; any short count aborts, this names it.
size_t cstubs_curl_writefunc_abort(void);

// why: SQLITE_TRANSIENT is a macro casting -1 to a destructor pointer.
int cstubs_sqlite3_bind_text_transient(sqlite3_stmt *statement, int index, const char *text, int length);
// why: SQLITE_TRANSIENT is a macro casting -1 to a destructor pointer.
int cstubs_sqlite3_bind_blob_transient(sqlite3_stmt *statement, int index, const void *bytes, int length);

// why: `struct stat` fields reach Swift through CoreFoundation's module under MemberImportVisibility
// (an import-order-dependent build error); these return what the service needs from stat/fstat.
// Size of the regular file at `path` (or -1), with its modification time in ns since 1970.
int64_t cstubs_regular_file_size(const char *path, int64_t *modified_ns);
// Size of the open file `fd` (or -1).
int64_t cstubs_fd_size(int fd);
// The preferred I/O block size (st_blksize) of the open file `fd` (or -1).
int64_t cstubs_fd_block_size(int fd);

// why: a vectorised substring search (32 positions per step with AVX2, else 16) needs vector types
// Swift cannot express; glibc's memmem walks the bytes. Offset of the first `needle` (length >= 1)
// in `haystack`, or -1; runs the AVX2 search where cstubs_simd_allowed() has it.
long cstubs_find_bytes(const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length);
// The same search without AVX2 (what cstubs_find_bytes runs on CPUs without it), for tests.
long cstubs_find_bytes_portable(const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length);
// The AVX2 search itself, for tests: call only where cstubs_simd_cpu() has CSTUBS_SIMD_AVX2.
long cstubs_find_bytes_avx2(const uint8_t *haystack, size_t count, const uint8_t *needle, size_t length);

// why: libxxhash's AVX2/AVX-512 kernels are reached only through xxh_x86dispatch.h's entry points
// (x86-64), which cannot be capped: these run them when UDS_SIMD allows all the CPU has, else
// XXH3_64bits and XXH3_64bits_update (SSE2 on x86-64). Same hashes either way.
XXH64_hash_t cstubs_xxh3_64(const void *input, size_t length);
XXH_errorcode cstubs_xxh3_update(XXH3_state_t *state, const void *input, size_t length);
// 1 when cstubs_xxh3_64/_update run the dispatcher.
int cstubs_xxh3_dispatched(void);
// The dispatcher itself, for tests (safe everywhere: it checks the CPU; plain XXH3 off x86-64).
XXH64_hash_t cstubs_xxh3_64_dispatch(const void *input, size_t length);

// why: fallocate and FALLOC_FL_KEEP_SIZE need _GNU_SOURCE, which the Glibc module does not define.
// Allocates the blocks of bytes [0, length) of `fd` without changing its size; 0 or an errno.
int cstubs_reserve_file_blocks(int fd, int64_t length);

// why: mallopt and M_MMAP_THRESHOLD live in <malloc.h>, which the Glibc module does not export.
// Pins glibc's mmap and heap-trim thresholds (disabling their dynamic growth) and caps the
// number of arenas; 1 on success.
int cstubs_malloc_tune(int mmap_bytes, int trim_bytes, int arena_max);

// why: pthread_setname_np is a GNU extension the Glibc module does not export.
// Names the calling thread (at most 15 bytes are kept; as `top -H` and perf show it). 0 or an errno.
int cstubs_name_current_thread(const char *name);

// why: renameat2 and RENAME_EXCHANGE are GNU extensions the Glibc module does not export.
// Swaps the names `first` and `second` atomically (both must exist); 0 or an errno (ENOENT when
// one is missing, EINVAL or ENOSYS where the file system or kernel cannot exchange).
int cstubs_rename_exchange(const char *first, const char *second);

// why: CPU feature checks (__builtin_cpu_supports) are compiler builtins Swift cannot call.
// Feature bits of cstubs_simd_cpu/cstubs_simd_allowed.
#define CSTUBS_SIMD_AVX2 1
#define CSTUBS_SIMD_AVX512F 2
// What this CPU offers (and its OS enabled); 0 off x86-64.
int cstubs_simd_cpu(void);
// What the kernels may use: cstubs_simd_cpu() limited by the UDS_SIMD environment variable
// (auto | avx2 | portable), read once before main.
int cstubs_simd_allowed(void);
// The features a UDS_SIMD value allows (NULL or "" = auto), or -1 for an unknown value.
int cstubs_simd_limit(const char *setting);

// why: multi-buffer MD5 needs AVX-512/AVX2 intrinsics and target attributes, which Swift cannot
// express. The vector kernels are raw: call each only where cstubs_simd_allowed() has its feature.
// Advances 16 MD5 states (state[word * 16 + lane], words a b c d) by `blocks` 64-byte blocks of
// data[lane], in AVX-512 lanes (CSTUBS_SIMD_AVX512F).
void cstubs_md5x16_blocks(uint32_t *state, const uint8_t *const *data, size_t blocks);
// The same for lanes 0-7 of that layout, in AVX2 lanes (CSTUBS_SIMD_AVX2); pass state + 8 and
// data + 8 for lanes 8-15.
void cstubs_md5x8_blocks(uint32_t *state, const uint8_t *const *data, size_t blocks);
// The same for the first `lanes` lanes of that layout, one after another (any CPU).
void cstubs_md5_lanes_portable(uint32_t *state, const uint8_t *const *data, int lanes, size_t blocks);
// Advances one MD5 state (a, b, c, d) by `blocks` 64-byte blocks.
void cstubs_md5_blocks(uint32_t *state, const uint8_t *data, size_t blocks);

#endif
