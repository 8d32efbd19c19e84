import CoreStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@testable import UploadNode

@Suite("upload limits: minimum rate, per-user uploads, spool reservations")
struct UploadLimitTests {
    @Test("the rate guard passes a body that keeps the rate and refuses one that falls below it in a window")
    func rateGuard() throws {
        let start = ContinuousClock.now
        var steady = TransferRateGuard(minimumBytesPerSecond: 1000, windowSeconds: 2, start: start)
        for second in 1...10 {
            try steady.record(bytes: 1000, at: start + .seconds(second))
        }
        var trickle = TransferRateGuard(minimumBytesPerSecond: 1000, windowSeconds: 2, start: start)
        try trickle.record(bytes: 1, at: start + .seconds(1))
        #expect(throws: CoreStoreError(.requestTimeout)) { try trickle.record(bytes: 1, at: start + .seconds(3)) }
        var burstThenStall = TransferRateGuard(minimumBytesPerSecond: 1000, windowSeconds: 2, start: start)
        try burstThenStall.record(bytes: 10_000, at: start + .seconds(2))
        #expect(throws: CoreStoreError(.requestTimeout)) {
            try burstThenStall.record(bytes: 10, at: start + .seconds(5))
        }
        var off = TransferRateGuard(minimumBytesPerSecond: 0, windowSeconds: 1, start: start)
        try off.record(bytes: 1, at: start + .seconds(600))
    }

    @Test("per-user slots: the limit is per user (by bytes), and a slot comes back when its upload ends")
    func userSlots() async throws {
        let slots = UserUploadSlots(limit: 1)
        let kate = try UserID(validating: "Kate")
        let kelvinKate = try UserID(validating: "\u{212A}ate")
        try await slots.withSlot(for: kate) {
            #expect(slots.count(for: kate) == 1)
            await #expect(throws: CoreStoreError.self) { try await slots.withSlot(for: kate) {} }
            try await slots.withSlot(for: kelvinKate) { #expect(slots.count(for: kelvinKate) == 1) }
        }
        #expect(slots.count(for: kate) == 0)
        await #expect(throws: CoreStoreError(.badRequest)) {
            try await slots.withSlot(for: kate) { throw CoreStoreError(.badRequest) }
        }
        try await slots.withSlot(for: kate) {}
    }

    @Test("a body trickled below the minimum rate gets 408 REQUEST_TIMEOUT and leaves no spool file")
    func slowBodyIsRefused() async throws {
        let parts = try await TestNode.parts(role: .upload) {
            $0.upload.minBytesPerSecond = 256 * 1024
            $0.upload.rateWindowSeconds = 1
        }
        let app = try await makeUploadApp(parts)
        let bytes = MultipartBody.randomBytes(400_000, seed: 3)
        let path = parts.configuration.dataDirectory + "/slow.bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        try await app.test(.live) { client in
            let result = try await CurlCommand.run(
                [
                    "--limit-rate", "20K", "-H", "Authorization: \(TestNode.bearer("alice"))",
                    "-H", "Content-MD5: \(MD5Hasher.digest(bytes).base64)", "-T", path,
                    "http://127.0.0.1:\(client.port!)/upload_download_service/slow.bin/alice",
                ], timeout: 30)
            #expect(result.status == 408, "\(result.body)")
            #expect(result.body.contains("REQUEST_TIMEOUT"))
            #expect(result.seconds < 10, "refused after about one window, not after the whole body")
        }
        let spool = parts.configuration.dataDirectory + "/spool"
        #expect(SpoolListing.uploadEntries(in: spool).isEmpty)
        #expect(
            try await parts.backends.metadata.record(
                userID: UserID(validating: "alice"), fileName: FileName(validating: "slow.bin")) == nil)
    }

    @Test("a user at the concurrent-upload limit gets 429 RATE_LIMITED with Retry-After; other users go on")
    func perUserLimit() async throws {
        let parts = try await TestNode.parts(role: .upload) {
            $0.upload.maxConcurrentUploadsPerUser = 1
            $0.upload.minBytesPerSecond = 0
        }
        let app = try await makeUploadApp(parts)
        let slow = MultipartBody.randomBytes(2_000_000, seed: 4)
        let path = parts.configuration.dataDirectory + "/held.bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(slow))
        let small = MultipartBody.randomBytes(1000, seed: 5)
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(client.port!)/upload_download_service"
            let held = Task {
                try await CurlCommand.run(
                    [
                        "--limit-rate", "200K", "-H", "Authorization: \(TestNode.bearer("alice"))",
                        "-H", "Content-MD5: \(MD5Hasher.digest(slow).base64)", "-T", path, "\(base)/held.bin/alice",
                    ], timeout: 60)
            }
            let spool = parts.configuration.dataDirectory + "/spool"
            let receiving = await eventually {
                ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).contains { $0.hasSuffix(".part") }
            }
            #expect(receiving, "the first upload is being received")
            var headers: HTTPFields = [
                .authorization: TestNode.bearer("alice"), .contentMD5: MD5Hasher.digest(small).base64,
            ]
            try await client.execute(
                uri: "/upload_download_service/second.bin/alice", method: .put, headers: headers,
                body: ByteBuffer(bytes: small)
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
                #expect(String(buffer: response.body).contains("RATE_LIMITED"))
            }
            headers[.authorization] = TestNode.bearer("bob")
            try await client.execute(
                uri: "/upload_download_service/second.bin/bob", method: .put, headers: headers,
                body: ByteBuffer(bytes: small)
            ) { response in
                #expect(response.status == .ok)
            }
            let first = try await held.value
            #expect(first.status == 200, "\(first.body)")
            headers[.authorization] = TestNode.bearer("alice")
            try await client.execute(
                uri: "/upload_download_service/second.bin/alice", method: .put, headers: headers,
                body: ByteBuffer(bytes: small)
            ) { response in
                #expect(response.status == .ok, "the slot came back")
            }
        }
    }
}
