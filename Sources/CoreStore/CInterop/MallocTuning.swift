internal import CStubs

/// Tunes glibc malloc so a node's resident memory follows the bytes it holds.
///
/// glibc starts with a 128 KiB mmap threshold and raises it to the size of every mmapped block
/// that is freed (up to 32 MiB), and the heap trim threshold to twice that. After a few
/// multi-MiB buffers both sit above them, so such buffers come from the per-thread arenas
/// (up to 8 per core), which keep the freed memory: a node idled at ~220 MiB after uploads into
/// S3 with Redis pushes (docs/decisions/0011). Tuned, blocks of at least ``mmapThresholdBytes``
/// are mapped and unmapped on free, an arena keeps at most ``trimThresholdBytes`` of free space
/// at its top (enough for the per-request buffers a node cycles, 64 KiB socket reads, 256 KiB
/// file chunks and hiredis's 512 KiB command buffer, to be reused without new page faults), and
/// there are at most ``arenaLimit(cores:)`` arenas.
///
/// Setting `GLIBC_TUNABLES` in the environment leaves malloc as the operator configured it.
public enum MallocTuning {
    /// Allocations of at least this size are served by `mmap`.
    public static let mmapThresholdBytes: Int32 = 1 << 20
    /// Free space at the top of an arena beyond this is returned to the system.
    public static let trimThresholdBytes: Int32 = 8 << 20

    /// Arenas allowed: two per core, at least four (glibc's default is eight per core).
    /// - Parameter cores: Active processor count.
    public static func arenaLimit(cores: Int) -> Int32 { Int32(max(4, 2 * cores)) }

    /// The `mallopt` values a process should set.
    public struct Settings: Sendable, Equatable {
        /// `M_MMAP_THRESHOLD`.
        public var mmapThresholdBytes: Int32
        /// `M_TRIM_THRESHOLD`.
        public var trimThresholdBytes: Int32
        /// `M_ARENA_MAX`.
        public var arenas: Int32

        /// Creates settings.
        public init(mmapThresholdBytes: Int32, trimThresholdBytes: Int32, arenas: Int32) {
            self.mmapThresholdBytes = mmapThresholdBytes
            self.trimThresholdBytes = trimThresholdBytes
            self.arenas = arenas
        }
    }

    /// The settings for this environment, or `nil` when `GLIBC_TUNABLES` configures malloc itself.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - cores: Active processor count.
    public static func settings(environment: [String: String], cores: Int) -> Settings? {
        guard environment["GLIBC_TUNABLES"] == nil else { return nil }
        return Settings(
            mmapThresholdBytes: mmapThresholdBytes, trimThresholdBytes: trimThresholdBytes,
            arenas: arenaLimit(cores: cores))
    }

    /// Applies ``settings(environment:cores:)`` to this process (daemons only: it changes malloc
    /// for the whole process, so tests call ``settings(environment:cores:)`` instead).
    /// - Returns: Whether settings were applied.
    @discardableResult
    public static func apply(environment: [String: String], cores: Int) -> Bool {
        guard let settings = settings(environment: environment, cores: cores) else { return false }
        return cstubs_malloc_tune(settings.mmapThresholdBytes, settings.trimThresholdBytes, settings.arenas) == 1
    }
}
