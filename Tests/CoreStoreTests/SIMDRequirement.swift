import CoreStore
import Testing

extension Trait where Self == ConditionTrait {
    /// Runs the test only where this process may use `feature`; elsewhere the test is skipped with
    /// the reason ("CPU lacks avx512f", "UDS_SIMD rules out avx2") in the output, never run.
    static func requires(_ feature: SIMDKernels.Features) -> Self {
        let reason = SIMDKernels.unavailableReason(feature)
        return .enabled(if: reason == nil, Comment(rawValue: reason ?? ""))
    }
}
