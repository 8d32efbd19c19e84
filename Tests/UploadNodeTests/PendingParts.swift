import Foundation
import NodeHTTP

/// The parted uploads a node's embedded object store still holds (`<dataDir>/objects/.parts`):
/// none once every resumable upload has completed, failed or been terminated.
/// - Parameter parts: The node.
/// - Returns: The upload directories' names.
func pendingParts(_ parts: NodeMain.Parts) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: parts.configuration.dataDirectory + "/objects/.parts")) ?? []
}
