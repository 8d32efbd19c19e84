import Foundation
import TestSupport
import Testing

@testable import CoreStore

@Suite("HMACSecretFile")
struct HMACSecretFileTests {
    /// A fresh directory path (not created) under the system temp dir.
    static func freshDirectory() -> String {
        URL(fileURLWithPath: IntegrationEnvironment.processRoot).appendingPathComponent(
            "auth-secret-\(UUID().uuidString)"
        ).path
    }

    @Test func createsOnceAndReturnsTheSameSecret() throws {
        let directory = Self.freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try HMACSecretFile.loadOrCreate(dataDirectory: directory)
        #expect(first.count == 32)
        #expect(Set(first).count > 1)
        let second = try HMACSecretFile.loadOrCreate(dataDirectory: directory)
        #expect(second == first)
        let text = try String(contentsOfFile: directory + "/auth-secret", encoding: .utf8)
        #expect(text == first.map { String(format: "%02x", $0) }.joined() + "\n")
        // Nothing but the secret is left behind (no temporary files).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["auth-secret"])
    }

    @Test func fileModeIs0600() throws {
        let directory = Self.freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try HMACSecretFile.loadOrCreate(dataDirectory: directory)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/auth-secret")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func concurrentCreationYieldsOneSecret() async throws {
        for _ in 0..<5 {
            let directory = Self.freshDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let secrets = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<8 {
                    group.addTask { try HMACSecretFile.loadOrCreate(dataDirectory: directory) }
                }
                return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
            }
            #expect(secrets.count == 8)
            #expect(Set(secrets).count == 1)
            #expect(try HMACSecretFile.loadOrCreate(dataDirectory: directory) == secrets[0])
        }
    }

    @Test func operatorProvidedLongerSecretIsRead() throws {
        let directory = Self.freshDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hex = String(repeating: "AB", count: 48)
        try ("  " + hex + "\n\n").write(toFile: directory + "/auth-secret", atomically: true, encoding: .utf8)
        #expect(try HMACSecretFile.loadOrCreate(dataDirectory: directory) == Array(repeating: 0xAB, count: 48))
    }

    @Test(arguments: [
        "", "abc", String(repeating: "a", count: 62), String(repeating: "zz", count: 32),
        "not hex at all, definitely not",
    ])
    func malformedFileIsAnError(contents: String) throws {
        let directory = Self.freshDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try contents.write(toFile: directory + "/auth-secret", atomically: true, encoding: .utf8)
        #expect(throws: CoreStoreError.self) { try HMACSecretFile.loadOrCreate(dataDirectory: directory) }
        // The bad file is left for the operator, not silently replaced.
        #expect(try String(contentsOfFile: directory + "/auth-secret", encoding: .utf8) == contents)
    }

    @Test func secretWorksWithTheVerifier() async throws {
        let directory = Self.freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Two "daemons" sharing the data directory.
        let uploadSecret = try HMACSecretFile.loadOrCreate(dataDirectory: directory)
        let downloadSecret = try HMACSecretFile.loadOrCreate(dataDirectory: directory)
        let user = try UserID(validating: "carol")
        let token = HMACTokenVerifier.issue(userID: user, ttl: 60, secret: uploadSecret, issuer: nil)
        let verifier = try HMACTokenVerifier(secret: downloadSecret, logger: HMACTokenVerifierTests.logger)
        #expect(try await verifier.verify(bearerToken: token).userID == user)
    }

    @Test("the configured auth.hs256.secret wins over the file; without it the file's secret is used")
    func configuredSecretOrFile() throws {
        let directory = Self.freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configured = AuthConfiguration(hs256Secret: "a configured secret of 32 bytes!")
        #expect(
            try configured.hs256SecretBytes(dataDirectory: directory) == Array("a configured secret of 32 bytes!".utf8))
        #expect(!FileManager.default.fileExists(atPath: directory), "the file is not created when a secret is set")
        let fromFile = try AuthConfiguration().hs256SecretBytes(dataDirectory: directory)
        #expect(fromFile == (try HMACSecretFile.loadOrCreate(dataDirectory: directory)))
    }
}
