import AsyncHTTPClient
import CoreStore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TestSupport

/// One file of the fleet test: its owner, name and bytes (deterministic from index and version).
struct FleetFile: Sendable {
    let user: String
    let name: String
    let bytes: [UInt8]
    let md5: ContentDigest

    /// A shared 1 MiB of random bytes that every file is cut from.
    static let pool = MultipartBody.randomBytes(1 << 20, seed: 2026)

    /// File `index` (owner `index % 20`); version 0 has a mixed size (1 KiB to 40 MiB), later
    /// versions 100 KB. A 16-byte header makes every file's MD5 unique.
    /// - Parameter size: The size, instead of the one index and version choose.
    init(index: Int, version: Int, size: Int? = nil) {
        user = FleetTests.users[index % FleetTests.users.count]
        name = "file-\(index).bin"
        let size =
            size
            ?? (version > 0
                ? 100_000
                : index % 50 == 0
                    ? 40 << 20
                    : index % 5 == 0
                        ? 5 << 20
                        : index % 5 == 1
                            ? 1 << 20
                            : index % 5 == 2 ? 100_000 : 1_024)
        var bytes = [UInt8](repeating: 0, count: 16)
        for shift in 0..<8 {
            bytes[shift] = UInt8(truncatingIfNeeded: index >> (8 * shift))
            bytes[8 + shift] = UInt8(truncatingIfNeeded: version >> (8 * shift))
        }
        bytes.reserveCapacity(size)
        var offset = (index * 7919) % Self.pool.count
        while bytes.count < size {
            let take = min(size - bytes.count, Self.pool.count - offset)
            bytes += Self.pool[offset..<(offset + take)]
            offset = 0
        }
        self.bytes = Array(bytes.prefix(size))
        md5 = MD5Hasher.digest(self.bytes)
    }
}

/// Sends the fleet test's requests over AsyncHTTPClient (200 connections at once) and records
/// when each started and ended, so failures can be matched against the moments nodes were killed.
final class FleetDriver: Sendable {
    /// Where a request goes.
    enum Target {
        /// haproxy, with `Host: upload.localhost` or `download.localhost`.
        case balancer
        /// One upload node directly (0 or 1).
        case upload(Int)
        /// One download node directly (0 or 1).
        case download(Int)
    }

    /// One request's outcome (`status` -1: no HTTP answer).
    struct Result: Sendable {
        let file: FleetFile
        let status: Int
        let md5: ContentDigest?
        /// The body of a failure (the error JSON), or the transport error.
        let detail: String
        /// The `Retry-After` header, if any.
        var retryAfter: String?
        let started: ContinuousClock.Instant
        let ended: ContinuousClock.Instant
    }

    let fleet: LocalFleet
    let client: HTTPClient
    private let tokens: [String: String]
    /// When nodes were killed.
    private let kills = Mutex<[ContinuousClock.Instant]>([])

    init(fleet: LocalFleet) throws {
        self.fleet = fleet
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        tokens = Dictionary(uniqueKeysWithValues: try FleetTests.users.map { ($0, try fleet.token(user: $0)) })
    }

    /// Shuts the HTTP client down.
    func shutdown() async throws { try await client.shutdown() }

    private func request(_ method: HTTPMethod, _ path: String, user: String, upload: Bool, via target: Target)
        -> HTTPClientRequest
    {
        let base: String
        switch target {
        case .balancer: base = "http://127.0.0.1:\(fleet.proxy.port)"
        case .upload(let index): base = fleet.uploads.nodes[index].baseURL
        case .download(let index): base = fleet.downloads.nodes[index].baseURL
        }
        var request = HTTPClientRequest(url: base + "/upload_download_service/" + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(tokens[user]!)")
        if case .balancer = target {
            request.headers.add(name: "Host", value: upload ? "upload.localhost" : "download.localhost")
        }
        return request
    }

    private static func encoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
    }

    /// Runs `body` and turns a transport error into status -1.
    private func timed(
        _ file: FleetFile, _ body: () async throws -> (Int, ContentDigest?, String, HTTPHeaders)
    ) async -> Result {
        let started = ContinuousClock.now
        let outcome: (Int, ContentDigest?, String, HTTPHeaders)
        do { outcome = try await body() } catch { outcome = (-1, nil, "\(error)", [:]) }
        return Result(
            file: file, status: outcome.0, md5: outcome.1, detail: outcome.2,
            retryAfter: outcome.3.first(name: "Retry-After"), started: started, ended: .now)
    }

    /// The body of a non-2xx answer as text (its error JSON), else empty.
    private static func detail(_ status: Int, _ body: ByteBuffer) -> String {
        (200..<300).contains(status) ? "" : String(buffer: body).prefix(300).description
    }

    /// `PUT` with `Content-MD5`.
    func upload(_ file: FleetFile, via target: Target) async throws -> Result {
        await timed(file) {
            var request = request(
                .PUT, "\(Self.encoded(file.name))/\(file.user)", user: file.user, upload: true, via: target)
            request.headers.add(name: "Content-MD5", value: file.md5.base64)
            request.body = .bytes(ByteBuffer(bytes: file.bytes))
            let response = try await client.execute(request, timeout: .seconds(120))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), nil, Self.detail(Int(response.status.code), body), response.headers)
        }
    }

    /// `GET`; the MD5 of a 200's body.
    func download(_ file: FleetFile, via target: Target) async throws -> Result {
        await timed(file) {
            let request = request(
                .GET, "\(Self.encoded(file.name))/\(file.user)", user: file.user, upload: false, via: target)
            let response = try await client.execute(request, timeout: .seconds(120))
            let body = try await response.body.collect(upTo: 64 << 20)
            let status = Int(response.status.code)
            return (
                status, status == 200 ? MD5Hasher.digest(Array(buffer: body)) : nil, Self.detail(status, body),
                response.headers
            )
        }
    }

    /// `DELETE`.
    func delete(_ file: FleetFile, via target: Target) async throws -> Result {
        await timed(file) {
            let request = request(
                .DELETE, "\(Self.encoded(file.name))/\(file.user)", user: file.user, upload: true, via: target)
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), nil, Self.detail(Int(response.status.code), body), response.headers)
        }
    }

    /// A user's listing (every page) as name → md5 hex.
    func listing(user: String, via target: Target) async throws -> [String: String] {
        struct Page: Decodable {
            struct Entry: Decodable {
                let name: String
                let md5: String
            }
            let files: [Entry]
            let nextCursor: String?

            enum CodingKeys: String, CodingKey {
                case files
                case nextCursor = "next_cursor"
            }
        }
        var names: [String: String] = [:]
        var cursor: String?
        repeat {
            let query = "users/\(user)/files?limit=1000" + (cursor.map { "&cursor=\(Self.encoded($0))" } ?? "")
            let response = try await client.execute(
                request(.GET, query, user: user, upload: false, via: target), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 16 << 20)
            guard response.status.code == 200 else {
                throw FleetFailure(description: "listing \(user): \(response.status.code)")
            }
            let page = try JSONDecoder().decode(Page.self, from: Data(Array(buffer: body)))
            for entry in page.files { names[entry.name] = entry.md5 }
            cursor = page.nextCursor
        } while cursor != nil
        return names
    }

    /// Runs `operation` for every file, `width` at a time; after each completion, `atCompletion`
    /// (given the number completed) may name a node to kill and restart while the rest go on.
    /// A second kill first waits until the node killed before is back in the balancer, as a
    /// rolling failure would (one node of a kind down at a time).
    func concurrently(
        _ files: [FleetFile], width: Int = 200, _ operation: @escaping @Sendable (FleetFile) async throws -> Result,
        atCompletion: @escaping @Sendable (Int) -> (upload: Bool, index: Int)? = { _ in nil }
    ) async -> [Result] {
        await withTaskGroup(of: Result?.self) { group in
            var results: [Result] = []
            var next = 0
            func launch() {
                guard next < files.count else { return }
                let file = files[next]
                next += 1
                group.addTask { try? await operation(file) }
            }
            for _ in 0..<min(width, files.count) { launch() }
            var restarts: [Task<Void, Never>] = []
            while let result = await group.next() {
                if let result { results.append(result) }
                launch()
                if let victim = atCompletion(results.count) {
                    for restart in restarts { await restart.value }
                    if !restarts.isEmpty { try? await fleet.waitUntilBalanced() }
                    kills.withLock { $0.append(.now) }
                    await fleet.kill(upload: victim.upload, index: victim.index)
                    restarts.append(Task { try? await self.fleet.restart(upload: victim.upload, index: victim.index) })
                }
            }
            for restart in restarts { await restart.value }
            return results
        }
    }

    /// Expects every failed request to have been in flight when a node was killed (started before
    /// the kill, answered after it), and every other request to have succeeded.
    func expectOnlyKilledInFlightFailed(_ results: [Result], _ what: String) throws {
        let kills = kills.withLock { $0 }
        let unexplained = results.filter { result in
            result.status != 200 && !kills.contains { result.started <= $0 && result.ended >= $0 }
        }
        guard unexplained.isEmpty else {
            throw FleetFailure(
                description: "\(what): \(unexplained.count) failures not in flight at a kill: "
                    + unexplained.prefix(5).map { "\($0.file.name) → \($0.status) \($0.detail)" }.joined(
                        separator: ", "))
        }
    }
}

/// A broken fleet invariant, with what was seen.
struct FleetFailure: Error, CustomStringConvertible {
    let description: String
}
