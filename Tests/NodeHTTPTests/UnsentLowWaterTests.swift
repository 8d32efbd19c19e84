import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import TestSupport
import Testing

@testable import NodeHTTP

@Suite("unsent bytes per connection (TCP_NOTSENT_LOWAT by load)")
struct UnsentLowWaterTests {
    /// A live node whose `/lowat` answers its own socket's `TCP_NOTSENT_LOWAT` and whose `/big`
    /// answers `bytes` bytes.
    private func withNode(
        bytes: Int = 0, configure: @escaping @Sendable (inout NodeConfiguration) -> Void,
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let parts = try await TestNode.parts(role: .download, configure: configure)
        let router = NodeApplication.makeRouter(
            configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
        router.get("/lowat") { _, context -> String in
            let value = try await context.channel?.getOption(UnsentLowWater.option).get()
            return value.map(String.init) ?? "no channel"
        }
        router.get("/big") { _, _ in ByteBuffer(repeating: 5, count: bytes) }
        let app = try NodeApplication.makeApplication(
            router: router, configuration: parts.configuration, services: [], logger: parts.logger)
        try await app.test(.live, test)
    }

    private func lowat(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/lowat", method: .get) { String(buffer: $0.body) }
    }

    @Test("quiet up to busyConnections open connections, busy above; 0 means no cap")
    func capByLoad() {
        let policy = UnsentLowWater(quietBytes: 1 << 20, busyBytes: 1 << 18, busyConnections: 256)
        #expect(policy.bytes(openConnections: 1) == 1 << 20)
        #expect(policy.bytes(openConnections: 256) == 1 << 20)
        #expect(policy.bytes(openConnections: 257) == 1 << 18)
        #expect(UnsentLowWater(quietBytes: 0, busyBytes: 0, busyConnections: 0).bytes(openConnections: 9) == 0)
    }

    @Test("a quiet node sets the quiet cap on its sockets")
    func quietCapOnSockets() async throws {
        try await withNode(configure: { $0.quietUnsentLowWaterBytes = 48 * 1024 }) { client in
            let value = try await lowat(client)
            #expect(value == "\(48 * 1024)")
        }
    }

    @Test("a busy node (more than busyConnections open) sets the busy cap")
    func busyCapOnSockets() async throws {
        try await withNode(configure: {
            $0.busyConnections = 0
            $0.unsentLowWaterBytes = 40 * 1024
        }) { client in
            let value = try await lowat(client)
            #expect(value == "\(40 * 1024)")
        }
    }

    @Test("0 leaves the kernel's default (the socket's own value stays 0)")
    func zeroLeavesDefault() async throws {
        try await withNode(configure: { $0.quietUnsentLowWaterBytes = 0 }) { client in
            let value = try await lowat(client)
            #expect(value == "0")
        }
    }

    @Test("a connection capped while the node was busy loses the cap once the node is quiet again")
    func busyThenQuiet() async throws {
        final class Load: Sendable { let open = Atomic<Int>(300) }
        let load = Load()
        let policy = UnsentLowWater(quietBytes: 0, busyBytes: 40 * 1024, busyConnections: 256)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: try #require(server.localAddress)).get()
        let caps = try await client.eventLoop.submit {
            let handler = UnsentLowWaterHandler(policy: policy) { load.open.load(ordering: .relaxed) }
            var caps: [Int] = []
            for open in [300, 3, 300] {
                load.open.store(open, ordering: .relaxed)
                try handler.apply(to: client)
                caps.append(try client.syncOptions?.getOption(UnsentLowWater.option) ?? -1)
            }
            return caps
        }.get()
        try await client.close()
        try await server.close()
        #expect(caps == [40 * 1024, 0, 40 * 1024])
    }

    @Test("a small cap still delivers a 6 MiB response whole")
    func largeResponseArrivesWhole() async throws {
        let bytes = 6 * 1024 * 1024
        try await withNode(bytes: bytes, configure: { $0.quietUnsentLowWaterBytes = 16 * 1024 }) { client in
            try await client.execute(uri: "/big", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == bytes)
                #expect(response.body.readableBytesView.allSatisfy { $0 == 5 })
            }
        }
    }
}
