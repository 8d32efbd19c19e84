import Foundation

/// The `weed server` arguments of the repository's one SeaweedFS start-up definition,
/// `scripts/weed-server.json`, which `scripts/bench` reads too.
enum WeedServerArguments {
    /// The definition file, found from this source file's place in the checkout.
    static let definitionPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/weed-server.json").path

    private struct Definition: Decodable {
        let ports: [String]
        let arguments: [String]
    }

    /// The arguments (after `weed`) for a server in `directory` listening on `ports`.
    /// - Parameters:
    ///   - directory: The server's folder (holding `data/` and `s3.json`).
    ///   - ports: One port per name in the definition's `ports`, in that order.
    ///   - volumeSizeLimitMB: The volume size limit.
    /// - Throws: ``ContractViolation`` when the file is unreadable or the port count differs.
    static func make(directory: String, ports: [Int], volumeSizeLimitMB: Int) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: definitionPath) else {
            throw ContractViolation(description: "cannot read \(definitionPath)", location: #fileID)
        }
        let definition = try JSONDecoder().decode(Definition.self, from: data)
        guard definition.ports.count == ports.count else {
            throw ContractViolation(
                description: "\(definitionPath) names \(definition.ports.count) ports, got \(ports.count)",
                location: #fileID)
        }
        var values = ["dir": directory, "volumeSizeLimitMB": String(volumeSizeLimitMB)]
        for (name, port) in zip(definition.ports, ports) { values[name] = String(port) }
        return definition.arguments.map { argument in
            values.reduce(argument) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
    }
}
