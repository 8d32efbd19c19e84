import Foundation
import TestSupport
import Testing

@Suite("strict start-up (real binaries)")
struct StrictStartTests {
    @Test("a misspelt flag, an unparsable value or an unknown UDS_ variable: exit 2, the key named, nothing served")
    func refusesBadConfiguration() async throws {
        let cases: [([String], [String: String], String)] = [
            (["--max-uplod-bytes", "1048576"], [:], "--max-uplod-bytes: unknown flag"),
            (
                ["--max-upload-bytes", "1MB"], [:],
                #"maxUploadBytes (--max-upload-bytes, UDS_MAX_UPLOAD_BYTES): "1MB" is not an integer"#
            ),
            ([], ["UDS_MAX_UPLOAD_BYTE": "1"], "UDS_MAX_UPLOAD_BYTE: unknown environment variable"),
        ]
        for (index, (arguments, environment, expected)) in cases.enumerated() {
            for binary in ["upload-node", "download-node"] {
                let directory = IntegrationEnvironment.temporaryDirectory("strict-\(index)")
                let process = try ManagedProcess(
                    executable: NodeProcess.binDirectory + "/" + binary,
                    arguments: ["--data-dir", directory, "--port", "0"] + arguments,
                    environment: environment, logPath: directory + "/node.log")
                #expect(await process.waitForExit(timeout: 20), "\(binary) \(arguments)")
                #expect(process.exitStatus == 2, "\(binary) \(arguments)")
                #expect(process.log().contains(expected), "\(binary): \(process.log())")
            }
        }
    }
}
