import CoreStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import Synchronization
import TestSupport
import UDSClient

@testable import DownloadNode
@testable import UploadNode

/// A real upload node and download node in this process, on live loopback sockets over one data
/// directory (filesystem objects, one SQLite file: the embedded defaults), for the client to talk to.
struct ClientTestNodes: Sendable {
    /// `http://127.0.0.1:<port>` of the upload node.
    let uploadURL: String
    /// `http://127.0.0.1:<port>` of the download node.
    let downloadURL: String
    /// A scratch directory for local files.
    let directory: String

    /// A token for `user`, signed with the nodes' secret.
    func token(_ user: String = "alice") -> String { TestNode.token(for: user) }

    /// A client for `user` (or with another token), with `adjust` applied to its configuration.
    func client(
        user: String = "alice", token: String? = nil, _ adjust: (inout ClientConfiguration) -> Void = { _ in }
    ) throws -> UDSClient {
        var configuration = ClientConfiguration(
            uploadURL: uploadURL, downloadURL: downloadURL, token: token ?? self.token(user),
            retry: RetryPolicy(maxAttempts: 4, baseDelay: 0.05, maxDelay: 0.5))
        adjust(&configuration)
        return try UDSClient(configuration: configuration)
    }

    /// Writes `bytes` to a new file in the scratch directory; returns its path.
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Runs `body` with both nodes live; `configure` adjusts both nodes' configuration.
    static func run(
        configure: @escaping (inout NodeConfiguration) -> Void = { _ in },
        _ body: @Sendable (ClientTestNodes) async throws -> Void
    ) async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("client")
        let scratch = directory + "/local"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let uploadParts = try await TestNode.parts(
            role: .upload, dataDirectory: directory + "/node", configure: configure)
        let downloadParts = try await TestNode.parts(
            role: .download, dataDirectory: directory + "/node", configure: configure)
        let uploadRouter = NodeApplication.makeRouter(
            configuration: uploadParts.configuration, readiness: NodeMain.readinessProbe(uploadParts))
        let uploadServices = try await UploadNode.setUp(router: uploadRouter, parts: uploadParts)
        let uploadApp = try NodeApplication.makeApplication(
            router: uploadRouter, configuration: uploadParts.configuration, services: uploadServices,
            logger: uploadParts.logger)
        let downloadRouter = NodeApplication.makeRouter(
            configuration: downloadParts.configuration, readiness: NodeMain.readinessProbe(downloadParts))
        let downloadServices = try DownloadNode.setUp(router: downloadRouter, parts: downloadParts)
        let downloadApp = try NodeApplication.makeApplication(
            router: downloadRouter, configuration: downloadParts.configuration, services: downloadServices,
            logger: downloadParts.logger)
        try await uploadApp.test(.live) { upload in
            try await downloadApp.test(.live) { download in
                let nodes = ClientTestNodes(
                    uploadURL: "http://127.0.0.1:\(upload.port!)", downloadURL: "http://127.0.0.1:\(download.port!)",
                    directory: scratch)
                try await body(nodes)
            }
        }
    }
}

/// Collects what progress callbacks report (they run on the transfer's task).
final class ProgressLog: Sendable {
    private let entries = Mutex<[TransferProgress]>([])

    /// The handler to pass to a transfer.
    var handler: ProgressHandler { { progress in self.entries.withLock { $0.append(progress) } } }

    /// Everything reported so far.
    var all: [TransferProgress] { entries.withLock { $0 } }
}
