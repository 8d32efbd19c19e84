import CStubs
import CoreStore
import Testing

@Suite("SIMD kernel selection")
struct SIMDKernelsTests {
    @Test(
        "UDS_SIMD values: auto and unset allow everything, avx2 caps at AVX2, portable allows nothing, others are refused"
    )
    func limits() {
        let all = Int32(CSTUBS_SIMD_AVX2 | CSTUBS_SIMD_AVX512F)
        #expect(cstubs_simd_limit(nil) == all)
        #expect(cstubs_simd_limit("") == all)
        #expect(cstubs_simd_limit("auto") == all)
        #expect(cstubs_simd_limit("avx2") == Int32(CSTUBS_SIMD_AVX2))
        #expect(cstubs_simd_limit("portable") == 0)
        #expect(cstubs_simd_limit("avx512") == -1)
        #expect(cstubs_simd_limit("AUTO") == -1)
        #expect(SIMDKernels.isValidSetting(nil))
        #expect(SIMDKernels.isValidSetting("portable"))
        #expect(!SIMDKernels.isValidSetting("sse4"))
    }

    @Test("the process may use only what the CPU offers, and each kernel follows what it may use")
    func selectionFollowsFeatures() {
        #expect(SIMDKernels.cpu.isSuperset(of: SIMDKernels.allowed))
        let allowed = SIMDKernels.allowed
        let md5: MD5Kernel = allowed.contains(.avx512f) ? .avx512x16 : allowed.contains(.avx2) ? .avx2x8 : .scalar
        #expect(SIMDKernels.md5 == md5)
        #expect(SIMDKernels.delimiter == (allowed.contains(.avx2) ? "avx2" : "portable"))
        #expect((SIMDKernels.xxh3 == "default") == (allowed.isEmpty || allowed != SIMDKernels.cpu))
        #expect(
            SIMDKernels.summary == "md5=\(md5.rawValue) delimiter=\(SIMDKernels.delimiter) xxh3=\(SIMDKernels.xxh3)")
        print("simd: cpu \(SIMDKernels.cpu), allowed \(SIMDKernels.allowed), kernels \(SIMDKernels.summary)")
    }

    @Test("a kernel is unavailable with the reason: missing from the CPU, or ruled out by UDS_SIMD")
    func unavailableReasons() {
        for feature in [SIMDKernels.Features.avx2, .avx512f] {
            let reason = SIMDKernels.unavailableReason(feature)
            if !SIMDKernels.cpu.contains(feature) {
                #expect(reason == "CPU lacks \(feature)")
            } else if !SIMDKernels.allowed.contains(feature) {
                #expect(reason == "UDS_SIMD rules out \(feature)")
            } else {
                #expect(reason == nil)
            }
        }
    }
}
