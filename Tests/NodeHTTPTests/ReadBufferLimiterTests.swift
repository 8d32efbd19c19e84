import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NodeHTTP
import Testing
import TestSupport

@Suite("read buffer cap per connection")
struct ReadBufferLimiterTests {
    @Test("no body chunk is larger than readBufferBytes, and every byte arrives")
    func chunksAreCapped() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.readBufferBytes = 8192 }
        let router = NodeApplication.makeRouter(configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
        router.post("/chunks") { request, context -> String in
            context.acceptBody()
            var largest = 0
            var total = 0
            for try await chunk in request.body {
                largest = max(largest, chunk.readableBytes)
                total += chunk.readableBytes
            }
            return "\(largest) \(total)"
        }
        let app = try NodeApplication.makeApplication(
            router: router, configuration: parts.configuration, services: [], logger: parts.logger)
        let body = ByteBuffer(repeating: 7, count: 2 * 1024 * 1024)
        try await app.test(.live) { client in
            try await client.execute(uri: "/chunks", method: .post, body: body) { response in
                #expect(response.status == .ok)
                let numbers = String(buffer: response.body).split(separator: " ").compactMap { Int($0) }
                #expect(numbers.count == 2)
                #expect(numbers.first.map { $0 > 0 && $0 <= 8192 } == true, "largest chunk \(numbers)")
                #expect(numbers.last == 2 * 1024 * 1024)
            }
        }
    }
}
