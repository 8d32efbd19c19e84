#define _GNU_SOURCE  // fallocate and FALLOC_FL_KEEP_SIZE
#include "cstubs.h"
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

// <linux/fs.h> names it RENAME_EXCHANGE; glibc declares it only in <stdio.h> from 2.28.
#define CSTUBS_RENAME_EXCHANGE (1 << 1)

CURLcode cstubs_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_ALL); }
CURLcode cstubs_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
CURLcode cstubs_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
CURLcode cstubs_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
CURLcode cstubs_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
CURLcode cstubs_curl_setopt_write_callback(CURL *h, CURLoption o, curl_write_callback cb) { return curl_easy_setopt(h, o, cb); }
CURLcode cstubs_curl_setopt_read_callback(CURL *h, curl_read_callback cb) { return curl_easy_setopt(h, CURLOPT_READFUNCTION, cb); }
CURLcode cstubs_curl_setopt_xferinfo_callback(CURL *h, curl_xferinfo_callback cb) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb); }
CURLcode cstubs_curl_getinfo_long(CURL *h, CURLINFO i, long *out) { return curl_easy_getinfo(h, i, out); }
CURLcode cstubs_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *out) { return curl_easy_getinfo(h, i, out); }
size_t cstubs_curl_readfunc_abort(void) { return CURL_READFUNC_ABORT; }
size_t cstubs_curl_writefunc_abort(void) { return 0; }

int cstubs_sqlite3_bind_text_transient(sqlite3_stmt *s, int i, const char *t, int n) { return sqlite3_bind_text(s, i, t, n, SQLITE_TRANSIENT); }
int cstubs_sqlite3_bind_blob_transient(sqlite3_stmt *s, int i, const void *b, int n) { return sqlite3_bind_blob(s, i, b, n, SQLITE_TRANSIENT); }

int64_t cstubs_regular_file_size(const char *p, int64_t *m) { struct stat s; if (stat(p, &s) != 0 || !S_ISREG(s.st_mode)) return -1; if (m) *m = (int64_t)s.st_mtim.tv_sec * 1000000000LL + s.st_mtim.tv_nsec; return s.st_size; }
int64_t cstubs_fd_size(int fd) { struct stat s; return fstat(fd, &s) == 0 ? s.st_size : -1; }
int64_t cstubs_fd_block_size(int fd) { struct stat s; return fstat(fd, &s) == 0 ? s.st_blksize : -1; }

int cstubs_reserve_file_blocks(int fd, int64_t length) { int r; do { r = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)length); } while (r != 0 && errno == EINTR); return r == 0 ? 0 : errno; }

int cstubs_name_current_thread(const char *name) { return pthread_setname_np(pthread_self(), name); }

int cstubs_rename_exchange(const char *first, const char *second) {
#if defined(__linux__) && defined(SYS_renameat2)
    return syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, CSTUBS_RENAME_EXCHANGE) == 0 ? 0 : errno;
#else
    (void)first; (void)second;
    return ENOSYS;
#endif
}

int cstubs_malloc_tune(int m, int t, int a) { return mallopt(M_MMAP_THRESHOLD, m) == 1 && mallopt(M_TRIM_THRESHOLD, t) == 1 && mallopt(M_ARENA_MAX, a) == 1; }
