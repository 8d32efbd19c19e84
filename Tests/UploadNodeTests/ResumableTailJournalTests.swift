import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NodeHTTP
import TestSupport
import Testing

@testable import UploadNode

/// The tail journal of resumable uploads (docs/decisions/0022): a node that dies after writing a
/// new tail object but before the row update names it leaves nothing behind once a sweep past the
/// grace has run, and a live request's tail younger than the grace is never swept. Real SQLite and
/// the real file-system object store; the crash is injected by wrappers around them.
@Suite("resumable tail journal", .serialized)
struct ResumableTailJournalTests {
    static let base = "/upload_download_service/uploads"
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    /// 6 MiB + 77: more than one part, so every chunk below leaves a tail.
    static let file = MultipartBody.randomBytes(6 * 1024 * 1024 + 77, seed: 21)

    /// A node whose stores can be crashed or held, its sweeper, and the wrappers.
    struct CrashableNode {
        let parts: NodeMain.Parts
        let app: any ApplicationProtocol
        let sweeper: UploadSweeper
        let metadata: CrashingResumableMetadata
    }

    /// Builds an upload node over `directory` whose metadata and object store are wrapped.
    static func crashableNode(_ directory: String, crash: SimulatedNodeCrash) async throws -> CrashableNode {
        let objects = FileSystemObjectStore(
            rootDirectory: directory + "/objects", pool: TestNode.pool, logger: TestNode.logger)
        let parts = try await TestNode.parts(
            role: .upload, dataDirectory: directory, objectStore: CrashingPartStore(objects, crash: crash),
            wrapMetadata: { base in
                guard let sqlite = base as? SQLiteMetadataStore else { return base }
                return CrashingResumableMetadata(sqlite, crash: crash)
            })
        let metadata = try #require(parts.backends.metadata as? CrashingResumableMetadata)
        let (app, sweeper) = try await application(parts)
        return CrashableNode(parts: parts, app: app, sweeper: sweeper, metadata: metadata)
    }

    /// The node's application and its sweeper (run directly, with a controlled clock).
    static func application(_ parts: NodeMain.Parts) async throws -> (any ApplicationProtocol, UploadSweeper) {
        let router = NodeApplication.makeRouter(
            configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
        let services = try await UploadNode.setUp(router: router, parts: parts)
        let sweeper = try #require(services.compactMap { $0 as? UploadSweeper }.first)
        let app = try NodeApplication.makeApplication(
            router: router, configuration: parts.configuration, services: services, logger: parts.logger)
        return (app, sweeper)
    }

    /// The tail objects under the store's root (files whose name holds `.tail.`), as keys.
    static func tailObjects(_ directory: String) -> Set<String> {
        let root = directory + "/objects"
        let paths = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
        return Set(paths.filter { !$0.hasPrefix(".") && ($0 as NSString).lastPathComponent.contains(".tail.") })
    }

    /// Headers of a tus request of alice.
    static func headers(offset: Int? = nil) -> HTTPFields {
        var fields: HTTPFields = [.authorization: TestNode.bearer("alice"), HTTPField.Name("Tus-Resumable")!: "1.0.0"]
        if let offset {
            fields[uploadOffset] = String(offset)
            fields[.contentType] = "application/offset+octet-stream"
        }
        return fields
    }

    /// Creates the upload of ``file`` and returns its path.
    static func create(_ client: some TestClientProtocol) async throws -> String {
        let md5 = MD5Hasher.digest(file)
        var fields = headers()
        fields[HTTPField.Name("Upload-Length")!] = String(file.count)
        fields[HTTPField.Name("Upload-Metadata")!] =
            "filename \(Data("tail.bin".utf8).base64EncodedString()),md5 \(Data(md5.hex.utf8).base64EncodedString())"
        return try await client.execute(uri: base, method: .post, headers: fields) { response in
            #expect(response.status == .created)
            return try #require(response.headers[.location])
        }
    }

    /// PATCHes `file[from..<to]`; returns the status and the answered offset.
    static func patch(_ client: some TestClientProtocol, _ location: String, from: Int, to: Int) async throws -> (
        HTTPResponse.Status, Int?
    ) {
        try await client.execute(
            uri: location, method: .patch, headers: headers(offset: from), body: ByteBuffer(bytes: file[from..<to])
        ) { ($0.status, $0.headers[uploadOffset].flatMap(Int.init)) }
    }

    /// `HEAD`'s status and offset.
    static func offset(_ client: some TestClientProtocol, _ location: String) async throws -> (
        HTTPResponse.Status, Int?
    ) {
        try await client.execute(uri: location, method: .head, headers: headers()) {
            ($0.status, $0.headers[uploadOffset].flatMap(Int.init))
        }
    }

    @Test("a tail written by a node that died before its row update is deleted by a sweep past the grace")
    func deadNodesTailIsSwept() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("tail-journal")
        let crash = SimulatedNodeCrash()
        let dying = try await Self.crashableNode(directory, crash: crash)
        let (location, earlierTail) = try await dying.app.test(.live) { client in
            let location = try await Self.create(client)
            #expect(try await Self.patch(client, location, from: 0, to: 1000) == (.noContent, 1000))
            let earlier = Self.tailObjects(directory)
            #expect(earlier.count == 1)
            dying.metadata.crashAtNextTailAdvance()
            #expect(try await Self.patch(client, location, from: 1000, to: 1500).0 == .serviceUnavailable)
            return (location, earlier)
        }
        #expect(crash.isDead)
        let leftover = Self.tailObjects(directory).subtracting(earlierTail)
        #expect(leftover.count == 1, "the dead node's new tail object is on disk: \(leftover)")

        // Restarted: the same data directory without the fault wrappers.
        let restarted = try await TestNode.parts(role: .upload, dataDirectory: directory)
        let (app, sweeper) = try await Self.application(restarted)
        let pendingTails = try #require(sweeper.pendingTails)
        #expect(await pendingTails.sweepOnce(now: Date()) == 0, "younger than the grace: kept")
        #expect(Self.tailObjects(directory) == earlierTail.union(leftover))
        let pastGrace = Date().addingTimeInterval(PendingTailSweep.defaultGraceSeconds + 1)
        #expect(await pendingTails.sweepOnce(now: pastGrace) == 1)
        #expect(Self.tailObjects(directory) == earlierTail, "only the tail the row names is left")
        try await app.test(.live) { client async throws -> Void in
            #expect(try await Self.offset(client, location) == (.ok, 1000))
            #expect(
                try await Self.patch(client, location, from: 1000, to: Self.file.count) == (.noContent, Self.file.count)
            )
        }
        let record = try #require(
            try await restarted.backends.metadata.record(
                userID: UserID(validating: "alice"), fileName: FileName(validating: "tail.bin")))
        #expect(record.md5 == MD5Hasher.digest(Self.file), "the earlier tail's bytes were intact")
        #expect(Self.tailObjects(directory).isEmpty)
    }

    @Test("a live request's tail, journaled less than the grace ago, survives a sweep and its row update lands")
    func liveTailSurvivesSweep() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("tail-journal")
        let node = try await Self.crashableNode(directory, crash: SimulatedNodeCrash())
        let pendingTails = try #require(node.sweeper.pendingTails)
        try await node.app.test(.live) { client in
            let location = try await Self.create(client)
            #expect(try await Self.patch(client, location, from: 0, to: 1000) == (.noContent, 1000))
            let earlier = Self.tailObjects(directory)
            node.metadata.holdNextTailAdvance()
            let request = Task { try await Self.patch(client, location, from: 1000, to: 1500) }
            #expect(await eventually { node.metadata.heldAdvances == 1 })
            let written = Self.tailObjects(directory).subtracting(earlier)
            #expect(written.count == 1, "the held request wrote its tail before its row update")
            let justInsideGrace = Date().addingTimeInterval(PendingTailSweep.defaultGraceSeconds - 60)
            #expect(await pendingTails.sweepOnce(now: justInsideGrace) == 0)
            node.metadata.releaseHeldAdvance()
            #expect(try await request.value == (.noContent, 1500))
            #expect(try await Self.offset(client, location) == (.ok, 1500))
            #expect(Self.tailObjects(directory) == written, "the new tail stays, the retired one is deleted")
        }
    }

    /// Crashes a node in the row update of a `PATCH` (1000 → 1500) of a new upload and returns
    /// the upload's path and the tail objects left (the row's and the dead request's).
    static func uploadLeftByDeadNode(_ directory: String) async throws -> (String, Set<String>) {
        let crash = SimulatedNodeCrash()
        let dying = try await crashableNode(directory, crash: crash)
        let location = try await dying.app.test(.live) { client in
            let location = try await create(client)
            #expect(try await patch(client, location, from: 0, to: 1000) == (.noContent, 1000))
            dying.metadata.crashAtNextTailAdvance()
            #expect(try await patch(client, location, from: 1000, to: 1500).0 == .serviceUnavailable)
            return location
        }
        #expect(crash.isDead)
        return (location, tailObjects(directory))
    }

    @Test(
        "termination and expiry delete the tails a dead node was writing for the upload, without waiting for the grace")
    func terminationAndExpiryDeleteJournaledTails() async throws {
        let terminated = IntegrationEnvironment.temporaryDirectory("tail-journal")
        let (location, left) = try await Self.uploadLeftByDeadNode(terminated)
        #expect(left.count == 2, "the row's tail and the dead request's")
        let restarted = try await TestNode.parts(role: .upload, dataDirectory: terminated)
        let (app, _) = try await Self.application(restarted)
        try await app.test(.live) { client async throws -> Void in
            try await client.execute(uri: location, method: .delete, headers: Self.headers()) {
                #expect($0.status == .noContent)
            }
        }
        #expect(Self.tailObjects(terminated).isEmpty)

        let expired = IntegrationEnvironment.temporaryDirectory("tail-journal")
        #expect(try await Self.uploadLeftByDeadNode(expired).1.count == 2)
        let (_, sweeper) = try await Self.application(try await TestNode.parts(role: .upload, dataDirectory: expired))
        let expiry = try #require(sweeper.resumable)
        #expect(await expiry.sweepOnce(now: Date().addingTimeInterval(2 * 24 * 3600)) == 1)
        #expect(Self.tailObjects(expired).isEmpty)
    }
}
