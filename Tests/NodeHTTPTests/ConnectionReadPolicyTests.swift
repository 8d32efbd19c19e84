import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import NodeHTTP

@Suite("read-ahead per connection (NodeHTTP1Channel)")
struct ConnectionReadPolicyTests {
    @Test("no body chunk is larger than readBufferBytes, and every byte arrives")
    func chunksAreCapped() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.readBufferBytes = 8192 }
        let router = NodeApplication.makeRouter(
            configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
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

    @Test("the first deepQueueConnections connections queue four reads; later ones one; all read full-size")
    func deepThenShallow() {
        let policy = NodeHTTP1Channel.ReadPolicy(readBufferBytes: 65_536, deepQueueConnections: 128)
        let deep = NodeHTTP1Channel.Queue(readBytes: 65_536, stopAt: 4, resumeAt: 2, readsPerWakeup: 2)
        let shallow = NodeHTTP1Channel.Queue(readBytes: 65_536, stopAt: 1, resumeAt: 1, readsPerWakeup: 1)
        #expect(policy.queue(openConnections: 1) == deep)
        #expect(policy.queue(openConnections: 128) == deep)
        #expect(policy.queue(openConnections: 129) == shallow)
        let allShallow = NodeHTTP1Channel.ReadPolicy(readBufferBytes: 65_536, deepQueueConnections: 0)
        #expect(allShallow.queue(openConnections: 1) == shallow)
        #expect(
            NodeHTTP1Channel.ReadPolicy(readBufferBytes: 8_192, deepQueueConnections: 0).queue(openConnections: 1)
                .readBytes == 8_192)
    }

    @Test("with every connection shallow a 2 MiB body still arrives whole")
    func shallowConnectionsReceiveEverything() async throws {
        let parts = try await TestNode.parts(role: .upload) {
            $0.readBufferBytes = 4096
            $0.deepQueueConnections = 0
        }
        let router = NodeApplication.makeRouter(
            configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
        router.post("/sum") { request, context -> String in
            context.acceptBody()
            var total = 0
            var md5 = MD5Hasher()  // not a per-byte Swift loop: a debug build on a loaded CI machine is slow
            var chunks = 0
            for try await chunk in request.body {
                total += chunk.readableBytes
                chunk.withUnsafeReadableBytes { md5.update($0) }
                chunks += 1
                if chunks % 8 == 0 { try await Task.sleep(for: .milliseconds(1)) }  // slow: the queue fills
            }
            return "\(total) \(md5.finalize().hex)"
        }
        let app = try NodeApplication.makeApplication(
            router: router, configuration: parts.configuration, services: [], logger: parts.logger)
        let bytes = (0..<(2 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let expected = MD5Hasher.digest(bytes).hex
        try await app.test(.live) { client in
            try await client.execute(uri: "/sum", method: .post, body: ByteBuffer(bytes: bytes)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "\(2 * 1024 * 1024) \(expected)")
            }
        }
    }
}
