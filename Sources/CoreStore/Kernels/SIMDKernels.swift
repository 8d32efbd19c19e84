internal import CStubs

/// Which vector kernels this process runs: chosen at run time from what the CPU offers, limited by
/// the `UDS_SIMD` environment variable (`auto`, `avx2` or `portable`), which CStubs reads once
/// before `main` so every process that links it (nodes, tests, benchmarks) selects the same way.
///
/// Every kernel has a portable twin that gives the same results; tests run each kernel this
/// process may use against its twin and name the ones it may not (docs/decisions/0017).
public enum SIMDKernels {
    /// Vector instruction sets the kernels use.
    public struct Features: OptionSet, Sendable, CustomStringConvertible {
        /// The option bits (CStubs' `CSTUBS_SIMD_*`).
        public let rawValue: Int
        /// Wraps option bits.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// 256-bit integer vectors (x86-64: Haswell, Zen and later).
        public static let avx2 = Features(rawValue: Int(CSTUBS_SIMD_AVX2))
        /// 512-bit vectors with ternary logic and rotates (x86-64: Skylake-SP, Ice Lake, Zen 4).
        public static let avx512f = Features(rawValue: Int(CSTUBS_SIMD_AVX512F))

        /// The names of the sets, as `/proc/cpuinfo` spells them.
        public var description: String {
            let names = [(Features.avx2, "avx2"), (.avx512f, "avx512f")].filter { contains($0.0) }.map(\.1)
            return names.isEmpty ? "none" : names.joined(separator: ",")
        }
    }

    /// What this CPU offers and its OS has enabled (empty off x86-64).
    public static let cpu = Features(rawValue: Int(cstubs_simd_cpu()))

    /// What the kernels may use: ``cpu`` limited by `UDS_SIMD`.
    public static let allowed = Features(rawValue: Int(cstubs_simd_allowed()))

    /// The multi-buffer MD5 kernel (``MD5LaneHasher``).
    public static let md5: MD5Kernel =
        allowed.contains(.avx512f) ? .avx512x16 : allowed.contains(.avx2) ? .avx2x8 : .scalar

    /// The multipart delimiter search: `avx2` or `portable` (16-byte vectors, SSE2/NEON).
    public static let delimiter = allowed.contains(.avx2) ? "avx2" : "portable"

    /// The XXH3 kernel: libxxhash's dispatcher (`avx512` or `avx2`) or its built-in one (`default`:
    /// SSE2 on x86-64, NEON on arm64).
    public static let xxh3 =
        cstubs_xxh3_dispatched() == 0 ? "default" : cpu.contains(.avx512f) ? "avx512" : "avx2"

    /// The selection in one line, for the start-up log: `md5=avx2x8 delimiter=avx2 xxh3=default`.
    public static var summary: String {
        "md5=\(md5.rawValue) delimiter=\(delimiter) xxh3=\(xxh3)"
    }

    /// Why a kernel needing `feature` does not run in this process, or `nil` when it does.
    /// - Parameter feature: One instruction set.
    public static func unavailableReason(_ feature: Features) -> String? {
        if !cpu.contains(feature) { return "CPU lacks \(feature)" }
        if !allowed.contains(feature) { return "UDS_SIMD rules out \(feature)" }
        return nil
    }

    /// Checks a `UDS_SIMD` value.
    /// - Parameter setting: The value (`nil` = not set).
    /// - Returns: Whether CStubs knows it (`auto`, `avx2`, `portable`, empty or unset).
    public static func isValidSetting(_ setting: String?) -> Bool {
        guard let setting else { return true }
        return cstubs_simd_limit(setting) >= 0
    }
}

/// A multi-buffer MD5 kernel.
public enum MD5Kernel: String, Sendable, CaseIterable {
    /// 16 streams in AVX-512 lanes.
    case avx512x16
    /// 8 streams in AVX2 lanes (two groups of 8 for 16 lanes).
    case avx2x8
    /// One stream at a time (portable C).
    case scalar

    /// Streams one kernel call advances.
    public var width: Int {
        switch self {
        case .avx512x16: 16
        case .avx2x8: 8
        case .scalar: 1
        }
    }

    /// Busy lanes in a group from which one vector call beats one-stream calls per lane (measured:
    /// docs/decisions/0009 and 0017); the scalar kernel never runs as a group.
    public var minimumBusyLanes: Int {
        switch self {
        case .avx512x16: 3
        case .avx2x8: 2
        case .scalar: Int.max
        }
    }

    /// The instruction set it needs (`nil` for the portable kernel).
    public var feature: SIMDKernels.Features? {
        switch self {
        case .avx512x16: .avx512f
        case .avx2x8: .avx2
        case .scalar: nil
        }
    }
}
