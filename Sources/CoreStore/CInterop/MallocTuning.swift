internal import CStubs

/// Pins glibc malloc's thresholds so a node's resident memory follows the bytes it holds.
///
/// glibc starts with a 128 KiB mmap threshold and raises it to the size of every mmapped block
/// that is freed (up to 32 MiB), and the heap trim threshold to twice that. After a few
/// multi-MiB buffers both sit above them, so such buffers come from the per-thread arenas,
/// which keep the freed memory: a node idled at ~220 MiB after uploads into S3 with Redis
/// pushes (docs/decisions/0011). Pinned, blocks of at least ``mmapThresholdBytes`` are mapped
/// and unmapped on free, and an arena keeps at most ``trimThresholdBytes`` of free space at its
/// top, enough for the per-request buffers a node cycles (64 KiB socket reads, 256 KiB file
/// chunks, hiredis's 512 KiB command buffer) to be reused without new page faults.
///
/// Setting `GLIBC_TUNABLES` in the environment leaves malloc as the operator configured it.
public enum MallocTuning {
    /// Allocations of at least this size are served by `mmap`.
    public static let mmapThresholdBytes: Int32 = 1 << 20
    /// Free space at the top of an arena beyond this is returned to the system.
    public static let trimThresholdBytes: Int32 = 8 << 20

    /// Applies the thresholds unless the environment configures malloc itself.
    /// - Parameter environment: The process environment.
    /// - Returns: Whether the thresholds were set.
    @discardableResult
    public static func apply(environment: [String: String]) -> Bool {
        guard environment["GLIBC_TUNABLES"] == nil else { return false }
        return cstubs_malloc_pin_thresholds(mmapThresholdBytes, trimThresholdBytes) == 1
    }
}
