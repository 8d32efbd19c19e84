import Configuration
import CoreStore
import Foundation
import NodeHTTP

/// `upload-node dev-token --user ID [--data-dir D] [--ttl SECONDS]`: prints an HS256 token that
/// every node sharing the data directory (or `UDS_AUTH_HS256_SECRET`) accepts. Local use only.
enum DevTokenCommand {
    static func run(arguments: [String], environment: [String: String]) async throws {
        let reader = try await NodeConfiguration.reader(arguments: arguments, environment: environment)
        let configuration = NodeConfiguration(role: .upload, config: reader)
        guard let user = reader.string(forKey: "user"), let userID = try? UserID(validating: user) else {
            FileHandle.standardError.write(
                Data("usage: upload-node dev-token --user ID [--data-dir D] [--ttl SECONDS]\n".utf8))
            exit(2)
        }
        try PrivateFileModes.makeDirectory(configuration.dataDirectory)
        let secret = try configuration.auth.hs256SecretBytes(dataDirectory: configuration.dataDirectory)
        let ttl = Double(reader.int(forKey: "ttl", default: 3600))
        let token = HMACTokenVerifier.issue(
            userID: userID, ttl: ttl, secret: secret, issuer: configuration.auth.issuer,
            userClaim: configuration.auth.userClaim)
        print(token)
    }
}
