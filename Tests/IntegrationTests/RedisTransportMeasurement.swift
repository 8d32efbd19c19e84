import CoreStore
import Foundation
import Logging
import NIOCore
import NIOSSL
import TestSupport
import Testing

/// The pool of the measured plain client (hiredis runs on it).
private let measurementPool = BlockingPool(threads: 8)

/// Side-by-side cost of the two transports on one machine: hiredis over plain TCP (`redis://`) and
/// SwiftNIO + NIOSSL (`rediss://`), against one redis-server listening on both ports. Prints
/// medians; asserts nothing about speed (by hand: `UDS_REDIS_MEASURE=1 swift test --filter
/// RedisTransportMeasurement`; numbers in docs/decisions/0021-redis-tls.md).
@Suite(
    "Redis transports measured (by hand)",
    .enabled(if: ProcessInfo.processInfo.environment["UDS_REDIS_MEASURE"] == "1", "set UDS_REDIS_MEASURE=1 to measure"))
struct RedisTransportMeasurement {
    @Test("sequential GETs (1 KiB, 1 MiB) and 16-way concurrent 1 KiB GETs, plain hiredis vs TLS channel")
    func measure() async throws {
        let pki = try await TestCertificates.make()
        let tlsServer = try await RedisServer.start(tls: .init(certificates: pki))
        defer { tlsServer.process.kill() }
        let plainPort = FreePort.next()
        _ = try await tlsServer.plainClientForMeasurement(port: plainPort)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki.caFile))
        let logger = Logger(label: "measure")
        let clients = [
            (
                "hiredis redis://",
                try RedisClient(
                    configuration: .init(url: "redis://127.0.0.1:\(plainPort)"), blockingPool: measurementPool,
                    logger: logger)
            ),
            (
                "NIOSSL rediss://",
                try RedisClient(
                    configuration: .init(url: tlsServer.url, tls: tls), blockingPool: measurementPool, logger: logger)
            ),
        ]
        try await clients[0].1.set("m:small", value: ByteBuffer(repeating: 1, count: 1024))
        try await clients[0].1.set("m:large", value: ByteBuffer(repeating: 2, count: 1 << 20))
        for round in 0..<3 {
            for (name, client) in clients {
                let small = try await Self.time(count: 2000) { _ = try await client.get("m:small") }
                let large = try await Self.time(count: 100) { _ = try await client.get("m:large") }
                let start = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<16 {
                        group.addTask { for _ in 0..<250 { _ = try await client.get("m:small") } }
                    }
                    try await group.waitForAll()
                }
                let concurrent = Double(4000) / (ContinuousClock.now - start).seconds
                print(
                    "measure round \(round) \(name): 1 KiB GET \(Self.format(small * 1e6)) µs, 1 MiB GET "
                        + "\(Self.format(large * 1e3)) ms, 16-way 1 KiB GETs \(Int(concurrent))/s")
            }
        }
    }

    private static func time(count: Int, _ body: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count { try await body() }
        return (ContinuousClock.now - start).seconds / Double(count)
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension RedisServer {
    /// Opens a plain port on this (TLS) server too, with `CONFIG SET port`, for side-by-side measurements.
    fileprivate func plainClientForMeasurement(port: Int) async throws -> Bool {
        guard let tls else { return false }
        var settings = TLSConfiguration.makeClientConfiguration()
        settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(tls.certificates.caFile))
        let admin = try RedisClient(
            configuration: .init(url: url, tls: settings), blockingPool: measurementPool, logger: Logger(label: "m"))
        _ = try await admin.execute("CONFIG", "SET", "port", String(port))
        return true
    }
}
