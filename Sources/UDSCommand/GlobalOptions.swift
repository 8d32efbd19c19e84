import ArgumentParser
import Foundation
import UDSClient

/// The options every subcommand takes: endpoints, token, user, output format.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Upload node base URL (default: $UDS_UPLOAD_URL, else http://127.0.0.1:8001).")
    var uploadURL: String?

    @Option(help: "Download node base URL (default: $UDS_DOWNLOAD_URL, else http://127.0.0.1:8002).")
    var downloadURL: String?

    @Option(help: "Bearer token (default: $UDS_TOKEN).")
    var token: String?

    @Option(help: "User id for paths (default: $UDS_USER, else the token's \"sub\" claim).")
    var user: String?

    @Flag(help: "Print results as JSON, one object per line.")
    var json = false

    @Option(help: ArgumentHelp("Cap each transfer at this many bytes per second.", valueName: "BYTES"))
    var limitRate: Int?

    @Option(
        help: ArgumentHelp(
            "Upload files larger than this with the resumable (tus) protocol (default 67108864).", valueName: "BYTES"))
    var resumableThreshold: Int64?

    /// A client from the flags, else the environment.
    func client(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UDSClient {
        guard let token = token ?? environment["UDS_TOKEN"], !token.isEmpty else {
            throw ValidationError("no token: pass --token or set UDS_TOKEN")
        }
        if let limitRate, limitRate <= 0 { throw ValidationError("--limit-rate must be positive") }
        if let resumableThreshold, resumableThreshold < 0 {
            throw ValidationError("--resumable-threshold must be >= 0")
        }
        var configuration = ClientConfiguration(
            uploadURL: uploadURL ?? environment["UDS_UPLOAD_URL"] ?? "http://127.0.0.1:8001",
            downloadURL: downloadURL ?? environment["UDS_DOWNLOAD_URL"] ?? "http://127.0.0.1:8002",
            token: token, user: user ?? environment["UDS_USER"], maxBytesPerSecond: limitRate)
        if let resumableThreshold { configuration.resumableThreshold = resumableThreshold }
        return try UDSClient(configuration: configuration)
    }
}
