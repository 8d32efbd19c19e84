import CoreStore
import Hummingbird
import HummingbirdTesting
import Logging
import NodeHTTP
import TestSupport
import Testing

/// The one audit wrapper of both nodes: `ok` after a response, the mapped outcome and the error
/// code after a failure, the drain's in-flight count only while the body runs.
@Suite("AuditedTransfer")
struct AuditedTransferTests {
    @Test("ok and failed transfers each write one line with their outcome; the drain counts the transfer while it runs")
    func outcomes() async throws {
        let (logger, handler) = RecordingLogHandler.logger(label: "audit", level: .info)
        let drain = DrainState()
        let router = Router(context: NodeRequestContext.self)
        router.add(middleware: ErrorRenderingMiddleware())
        router.get("/ok") { _, context in
            try await AuditedTransfer.run(operation: "download", context: context, drain: drain) { audit in
                audit.userID = "alice"
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(drain.inFlightTransfers)")))
            }
        }
        router.get("/fail") { _, context in
            try await AuditedTransfer.run(
                operation: "upload_raw", context: context, outcome: { $0 == .checksumMismatch ? "checksum" : "other" }
            ) { audit in
                audit.fileName = "a.txt"
                throw CoreStoreError(.checksumMismatch)
            }
        }
        let app = Application(router: router, logger: logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/ok", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "1", "in flight while the body ran")
            }
            try await client.execute(uri: "/fail", method: .get) { response in
                #expect(response.status == .conflict)
            }
        }
        #expect(drain.inFlightTransfers == 0)
        let lines = handler.records.filter { $0.message == "transfer" }.map { $0.metadata.mapValues { "\($0)" } }
        try #require(lines.count == 2)
        #expect(lines[0]["audit.operation"] == "download")
        #expect(lines[0]["audit.outcome"] == "ok")
        #expect(lines[0]["user.id"] == "alice")
        #expect(lines[0]["error.code"] == nil)
        #expect(lines[1]["audit.operation"] == "upload_raw")
        #expect(lines[1]["audit.outcome"] == "checksum")
        #expect(lines[1]["file.name"] == "a.txt")
        #expect(lines[1]["error.code"] == "CHECKSUM_MISMATCH")
    }
}
