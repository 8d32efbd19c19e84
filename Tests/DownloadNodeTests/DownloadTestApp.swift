import CoreStore
import Hummingbird
import NodeHTTP
import TestSupport

@testable import DownloadNode

/// Builds the download node's application over test parts.
func makeDownloadApp(_ parts: NodeMain.Parts) throws -> some ApplicationProtocol {
    let router = NodeApplication.makeRouter(
        configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
    let services = try DownloadNode.setUp(router: router, parts: parts)
    return try NodeApplication.makeApplication(
        router: router, configuration: parts.configuration, services: services, logger: parts.logger)
}
