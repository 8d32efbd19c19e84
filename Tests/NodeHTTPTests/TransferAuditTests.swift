import Logging
import NodeHTTP
import TestSupport
import Testing

/// The audit line: every field at `info`, and nothing built or written below the level.
@Suite("TransferAudit")
struct TransferAuditTests {
    @Test("at info the transfer line carries every field; at warning nothing is written")
    func auditLine() {
        let handler = RecordingLogHandler(level: .info)
        var audit = TransferAudit(operation: "download", requestID: "req-1")
        audit.userID = "alice"
        audit.fileName = "é.txt"
        audit.fileID = "f1"
        audit.bytes = 42
        audit.tier = "disk"
        audit.details = ["link.kid": "k1"]
        audit.finish(outcome: "ok", logger: Logger(label: "test") { _ in handler })
        let records = handler.records
        #expect(records.map(\.message) == ["transfer"])
        let fields = records.first?.metadata.mapValues { "\($0)" } ?? [:]
        #expect(fields["audit.operation"] == "download")
        #expect(fields["audit.outcome"] == "ok")
        #expect(fields["transfer.bytes"] == "42")
        #expect(fields["user.id"] == "alice")
        #expect(fields["file.name"] == "é.txt")
        #expect(fields["file.id"] == "f1")
        #expect(fields["cache.tier"] == "disk")
        #expect(fields["link.kid"] == "k1")
        #expect(fields["transfer.duration_seconds"]?.split(separator: ".").last?.count == 6)

        let quiet = RecordingLogHandler(level: .warning)
        audit.finish(outcome: "ok", error: "X", logger: Logger(label: "test") { _ in quiet })
        #expect(quiet.records.isEmpty)
    }
}
