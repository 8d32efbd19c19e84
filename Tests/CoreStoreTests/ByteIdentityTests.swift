import Crypto
import Foundation
import Logging
import Testing

@testable import CoreStore

/// Identities are their UTF-8 bytes (docs/api.md "Identities are bytes"): canonically equivalent
/// strings that Swift's `String` calls equal are different users, names, keys and claims.
@Suite("identities compare by bytes")
struct ByteIdentityTests {
    static let kelvin = "\u{212A}ate"  // KELVIN SIGN, canonically equivalent to "Kate"
    static let precomposed = "caf\u{E9}.txt"
    static let decomposed = "cafe\u{301}.txt"

    @Test func theExamplesAreEqualAsSwiftStrings() {
        // The premise of every test below: String equality would merge them.
        #expect(Self.kelvin == "Kate")
        #expect(Self.precomposed == Self.decomposed)
    }

    @Test func userIDsAreEqualAndHashedByBytes() throws {
        let kate = try UserID(validating: "Kate")
        let kelvin = try UserID(validating: Self.kelvin)
        #expect(kate != kelvin)
        #expect(kate == (try UserID(validating: "Kate")))
        #expect(Set([kate, kelvin]).count == 2)
        let owners: [UserID: String] = [kate: "kate's", kelvin: "kelvin's"]
        #expect(owners[kate] == "kate's")
        #expect(owners[kelvin] == "kelvin's")
    }

    @Test func fileNamesAreEqualAndHashedByBytes() throws {
        let one = try FileName(validating: Self.precomposed)
        let two = try FileName(validating: Self.decomposed)
        #expect(one != two)
        #expect(one == (try FileName(validating: Self.precomposed)))
        #expect(Set([one, two]).count == 2)
        let bytes: [FileName: Int] = [one: 1, two: 2]
        #expect(bytes[one] == 1)
        #expect(bytes[two] == 2)
    }

    @Test func recordsOfEquivalentNamesDiffer() throws {
        let user = try UserID(validating: "alice")
        let id = FileID.generate()
        let key = ObjectKey(prefix: "files", userID: user, fileID: id)
        func record(_ name: String) throws -> FileRecord {
            FileRecord(
                fileID: id, userID: user, fileName: try FileName(validating: name), objectKey: key, size: 1,
                md5: MD5Hasher.digest([1]), contentType: "text/plain", createdAt: Date(timeIntervalSince1970: 0))
        }
        #expect(try record(Self.precomposed) != record(Self.decomposed))
    }

    @Test func objectKeysOfEquivalentUsersDiffer() throws {
        let id = FileID.generate()
        let kate = ObjectKey(prefix: "files", userID: try UserID(validating: "Kate"), fileID: id)
        let kelvin = ObjectKey(prefix: "files", userID: try UserID(validating: Self.kelvin), fileID: id)
        #expect(kate != kelvin)
        #expect(kelvin.rawValue.contains("/%E2%84%AAate/"))
        #expect(ObjectKey(rawValue: "a/\(Self.precomposed)") != ObjectKey(rawValue: "a/\(Self.decomposed)"))
        #expect(
            Set([ObjectKey(rawValue: "a/\(Self.precomposed)"), ObjectKey(rawValue: "a/\(Self.decomposed)")]).count == 2)
    }

    @Test func redisMetadataKeysOfEquivalentIdentitiesDiffer() throws {
        let name = try FileName(validating: "a")
        #expect(
            RedisMetadataCache.key(userID: try UserID(validating: "Kate"), fileName: name)
                != RedisMetadataCache.key(userID: try UserID(validating: Self.kelvin), fileName: name))
        let user = try UserID(validating: "alice")
        #expect(
            RedisMetadataCache.key(userID: user, fileName: try FileName(validating: Self.precomposed))
                != RedisMetadataCache.key(userID: user, fileName: try FileName(validating: Self.decomposed)))
    }

    @Test func byteExactStringsAreDictionaryKeysByBytes() {
        var map: [ByteExactString: Int] = [:]
        map[ByteExactString("Kate")] = 1
        map[ByteExactString(Self.kelvin)] = 2
        #expect(map.count == 2)
        #expect(map[ByteExactString("Kate")] == 1)
        #expect(ByteIdentity.equal("Kate", "Kate"))
        #expect(!ByteIdentity.equal("Kate", Self.kelvin))
    }
}

/// The token claims that decide who a caller is compare by bytes too.
@Suite("token claims compare by bytes")
struct ByteIdentityClaimsTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let logger = Logger(label: "test.auth", factory: { _ in SwiftLogNoOpLogHandler() })

    func token(_ claims: [String: Any]) -> String {
        TestJWT.make(header: ["alg": "HS256", "typ": "JWT"], claims: claims) { input in
            Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: Self.secret)))
        }
    }

    func verifier(_ configuration: AuthConfiguration) throws -> HMACTokenVerifier {
        try HMACTokenVerifier(secret: Self.secret, configuration: configuration, logger: Self.logger)
    }

    var exp: Int { Int(Date().timeIntervalSince1970) + 600 }

    @Test func aKelvinSignSubjectIsNotKate() throws {
        let principal = try verifier(AuthConfiguration()).check(token(["sub": "\u{212A}ate", "exp": exp]))
        #expect(principal.userID != (try UserID(validating: "Kate")))
        #expect(Array(principal.userID.rawValue.utf8) == [0xE2, 0x84, 0xAA, 0x61, 0x74, 0x65])
    }

    @Test func aClaimNamedOnlyEquivalentlyIsNotTheUserClaim() throws {
        // The configured user claim is "Kid"; the token only has "\u{212A}id" (KELVIN SIGN).
        let configuration = AuthConfiguration(userClaim: "Kid")
        #expect(throws: AuthFailure.missingUser) {
            try verifier(configuration).check(token(["\u{212A}id": "mallory", "exp": exp]))
        }
        #expect(try verifier(configuration).check(token(["Kid": "kate", "exp": exp])).userID.rawValue == "kate")
    }

    @Test func issuerAndClientCompareByBytes() throws {
        let issuer = AuthConfiguration(issuer: "caf\u{E9}")
        #expect(throws: AuthFailure.wrongIssuer) {
            try verifier(issuer).check(token(["sub": "a", "exp": exp, "iss": "cafe\u{301}"]))
        }
        #expect(try verifier(issuer).check(token(["sub": "a", "exp": exp, "iss": "caf\u{E9}"])).issuer == "caf\u{E9}")
        let client = AuthConfiguration(clientIDs: ["\u{212A}lient"])
        #expect(throws: AuthFailure.clientNotAllowed) {
            try verifier(client).check(token(["sub": "a", "exp": exp, "client_id": "Klient"]))
        }
        #expect(throws: AuthFailure.clientNotAllowed) {
            try verifier(client).check(token(["sub": "a", "exp": exp, "aud": "Klient"]))
        }
        #expect(
            try verifier(client).check(token(["sub": "a", "exp": exp, "aud": "\u{212A}lient"])).userID.rawValue == "a")
    }
}
