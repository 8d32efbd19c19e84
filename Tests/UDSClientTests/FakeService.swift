import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import TestSupport
import UDSClient

/// A tiny HTTP server that answers a scripted sequence (status, headers, body) on every path and
/// counts requests: fault injection (503 with a chosen `Retry-After`, 4xx) a real node cannot be made
/// to answer on demand. Never used for behaviour a real node shows.
struct FakeService: Sendable {
    let port: Int
    private let counter: Counter

    /// Requests answered so far.
    var requests: Int { counter.value.withLock { $0 } }

    /// A client of the fake, both URLs pointing at it.
    func client(maxAttempts: Int = 4) throws -> UDSClient {
        try UDSClient(
            configuration: ClientConfiguration(
                uploadURL: "http://127.0.0.1:\(port)", downloadURL: "http://127.0.0.1:\(port)",
                token: TestNode.token(for: "alice"),
                retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.05, maxDelay: 0.2)))
    }

    /// Runs `body` with the fake live; the last answer repeats once the script is used up.
    static func run(
        answers: [(Int, [String: String], String)], _ body: @Sendable (FakeService) async throws -> Void
    ) async throws {
        let counter = Counter()
        let script = answers.map { Answer(status: $0.0, headers: $0.1, body: $0.2) }
        let router = Router()
        router.on("**", method: .get) { _, _ in respond(script, counter) }
        router.on("**", method: .post) { _, _ in respond(script, counter) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(FakeService(port: client.port!, counter: counter))
        }
    }

    private struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    private static func respond(_ script: [Answer], _ counter: Counter) -> Response {
        let index = counter.value.withLock { count -> Int in
            count += 1
            return count - 1
        }
        let answer = script[min(index, script.count - 1)]
        var fields: HTTPFields = [.contentType: "application/json"]
        for (name, value) in answer.headers { fields[HTTPField.Name(name)!] = value }
        return Response(
            status: .init(code: answer.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}

/// A request counter shared by the fake's handlers and the test.
final class Counter: Sendable {
    let value = Mutex(0)
}
