import CoreStore
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport

@testable import UploadNode

/// Builds the upload node's application over test parts.
func makeUploadApp(_ parts: NodeMain.Parts) async throws -> some ApplicationProtocol {
    let router = NodeApplication.makeRouter(
        configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
    let services = try await UploadNode.setUp(router: router, parts: parts)
    return try NodeApplication.makeApplication(
        router: router, configuration: parts.configuration, services: services, logger: parts.logger)
}
