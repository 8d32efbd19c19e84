import Foundation
import NodeHTTP
import TestSupport
import Testing
import UDSClient

/// Typed errors from real nodes, retries of 503/429 (a real node's per-user limit, and a fake server
/// for exact fault injection), and cancellation.
@Suite("UDSClient errors, retries and cancellation")
struct ErrorAndRetryTests {
    /// Whether `error` is the service's answer `status` with `code`.
    static func isService(_ error: any Error, _ status: Int, _ code: String) -> Bool {
        guard case ClientError.service(let failure) = error else { return false }
        return failure.status == status && failure.code.rawValue == code
    }

    @Test("403 INVALID_CREDENTIALS, 403 FORBIDDEN, 404 FILE_NOT_FOUND, 409 CHECKSUM_MISMATCH, 413 PAYLOAD_TOO_LARGE")
    func typedErrors() async throws {
        try await ClientTestNodes.run(configure: { $0.maxUploadBytes = 100_000 }) { nodes in
            let client = try nodes.client()
            let small = nodes.file("s.txt", Array("small".utf8))
            let forged = try nodes.client(token: nodes.token("alice") + "x")
            await #expect { _ = try await forged.upload(file: small) } throws: {
                Self.isService($0, 403, "INVALID_CREDENTIALS")
            }
            let other = try nodes.client { $0.user = "bob" }
            await #expect { _ = try await other.listPage() } throws: { Self.isService($0, 403, "FORBIDDEN") }
            await #expect {
                _ = try await client.download(name: "nothing", to: nodes.directory + "/n.out")
            } throws: { Self.isService($0, 404, "FILE_NOT_FOUND") }
            await #expect {
                _ = try await client.upload(file: small, expectedMD5: String(repeating: "0", count: 32))
            } throws: { Self.isService($0, 409, "CHECKSUM_MISMATCH") }
            let large = nodes.file("l.bin", MultipartBody.randomBytes(200_000, seed: 9))
            await #expect { _ = try await client.upload(file: large) } throws: {
                Self.isService($0, 413, "PAYLOAD_TOO_LARGE")
            }
            #expect(try await client.list().allFiles().isEmpty)
        }
    }

    @Test("a real node's 429 RATE_LIMITED (Retry-After: 1) is retried after the wait and succeeds")
    func retriesRateLimit() async throws {
        try await ClientTestNodes.run(configure: {
            $0.userRequestBurst = 1
            $0.userRequestsPerSecond = 1
        }) { nodes in
            let client = try nodes.client()
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await client.listPage()
            _ = try await client.listPage()  // the bucket is empty: 429, then the retry after Retry-After
            #expect(clock.now - start >= .seconds(1))
        }
    }

    @Test("with retries off, a real node's 429 RATE_LIMITED is thrown, typed")
    func rateLimitWithoutRetry() async throws {
        // One token per 100 s: the second request is refused however slowly this machine runs.
        try await ClientTestNodes.run(configure: {
            $0.userRequestBurst = 1
            $0.userRequestsPerSecond = 0.01
        }) { nodes in
            let strict = try nodes.client { $0.retry = RetryPolicy(maxAttempts: 1) }
            _ = try await strict.listPage()
            await #expect { _ = try await strict.listPage() } throws: { Self.isService($0, 429, "RATE_LIMITED") }
        }
    }

    @Test("503 with Retry-After: 2 is retried after at least 2 s; the second answer is used")
    func retries503HonoringRetryAfter() async throws {
        let page = #"{"files":[],"next_cursor":null}"#
        try await FakeService.run(answers: [
            (503, ["Retry-After": "2"], #"{"code":"SHUTTING_DOWN","error":"x"}"#), (200, [:], page),
        ]) { fake in
            let client = try fake.client()
            let clock = ContinuousClock()
            let start = clock.now
            let answer = try await client.listPage()
            #expect(answer.files.isEmpty)
            #expect(clock.now - start >= .seconds(2))
            #expect(fake.requests == 2)
        }
    }

    @Test("503 without Retry-After backs off until the attempts are used up, then throws the 503")
    func gives503UpAfterMaxAttempts() async throws {
        let busy = (503, [String: String](), #"{"code":"METADATA_UNAVAILABLE","error":"busy"}"#)
        try await FakeService.run(answers: [busy, busy, busy, busy]) { fake in
            let client = try fake.client(maxAttempts: 3)
            await #expect { _ = try await client.listPage() } throws: {
                Self.isService($0, 503, "METADATA_UNAVAILABLE")
            }
            #expect(fake.requests == 3)
        }
    }

    @Test("4xx answers are never retried", arguments: [400, 403, 404, 409, 413])
    func neverRetries4xx(status: Int) async throws {
        let answer = (status, [String: String](), #"{"code":"SOME_CODE","error":"no"}"#)
        try await FakeService.run(answers: [answer, answer]) { fake in
            let client = try fake.client(maxAttempts: 5)
            await #expect { _ = try await client.listPage() } throws: { Self.isService($0, status, "SOME_CODE") }
            #expect(fake.requests == 1)
        }
    }

    @Test("cancelling a download keeps its partial file; the next download fetches only the rest")
    func cancelThenResume() async throws {
        try await ClientTestNodes.run { nodes in
            let bytes = MultipartBody.randomBytes(8 * 1024 * 1024, seed: 7)
            _ = try await nodes.client().upload(file: nodes.file("slow.bin", bytes))
            let slow = try nodes.client { $0.maxBytesPerSecond = 4 * 1024 * 1024 }
            let (reached, signal) = AsyncStream<Void>.makeStream()
            let target = nodes.directory + "/slow.out"
            let transfer = Task {
                try await slow.download(name: "slow.bin", to: target) { progress in
                    if progress.completedBytes >= 1024 * 1024 { signal.yield() }
                }
            }
            for await _ in reached { break }
            transfer.cancel()
            let outcome = await transfer.result
            #expect(throws: CancellationError.self) { try outcome.get() }
            let kept = CommandLineTests.size(target + ".part")
            #expect(kept >= 1024 * 1024 && kept < bytes.count)
            #expect(!FileManager.default.fileExists(atPath: target))

            let resumed = try await nodes.client().download(name: "slow.bin", to: target)
            #expect(resumed.resumed)
            #expect(resumed.transferredBytes == Int64(bytes.count - kept))
            #expect(FileManager.default.contents(atPath: target) == Data(bytes))
        }
    }

    @Test("the user id comes from the token's sub claim")
    func userFromToken() throws {
        #expect(TokenUser.user(in: TestNode.token(for: "carol")) == "carol")
        #expect(TokenUser.user(in: "not-a-jwt") == nil)
        #expect(throws: ClientError.self) {
            _ = try UDSClient(
                configuration: ClientConfiguration(uploadURL: "http://x", downloadURL: "http://x", token: "a.b.c"))
        }
    }
}
