// libFuzzer's public driver entry (compiler-rt FuzzerInterface.h), linked in by -sanitize=fuzzer.
// SwiftPM links every executable with `main` aliased to `<module>_main`, so libFuzzer's own `main`
// is never used; each target's `<module>_main` calls this driver instead.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
