import Hummingbird
import NodeHTTP
import TestSupport

@testable import UploadNode

/// Two upload nodes over one data directory, so over one SQLite metadata file and one object
/// directory, the way two nodes of a fleet share the stores: an upload started on one can be
/// resumed on the other.
/// - Returns: Each node's parts (its stores and configuration) and its application.
func twoUploadNodes() async throws -> (
    first: NodeMain.Parts, second: NodeMain.Parts, nodeA: some ApplicationProtocol, nodeB: some ApplicationProtocol
) {
    let first = try await TestNode.parts(role: .upload)
    let second = try await TestNode.parts(role: .upload, dataDirectory: first.configuration.dataDirectory)
    return (first, second, try await makeUploadApp(first), try await makeUploadApp(second))
}
