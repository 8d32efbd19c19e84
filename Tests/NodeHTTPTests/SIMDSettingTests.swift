import NodeHTTP
import Testing

@Suite("UDS_SIMD at start-up")
struct SIMDSettingTests {
    @Test("a node refuses to start with an unknown UDS_SIMD, naming the variable")
    func unknownValueIsRefused() async {
        let error = await #expect(throws: ConfigurationError.self) {
            _ = try await NodeMain.prepare(role: .upload, arguments: ["upload-node"], environment: ["UDS_SIMD": "sse4"])
        }
        #expect(error?.key == "UDS_SIMD")
        #expect(error?.description == "invalid configuration: UDS_SIMD: must be auto, avx2 or portable")
    }
}
