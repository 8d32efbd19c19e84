import CoreStore
import Foundation
import Testing

@Suite("DownloadLinkSigner: signed download links")
struct DownloadLinkSignerTests {
    let keyA = try! DownloadLinkKey(id: "key-a", secret: Array(repeating: 0xA1, count: 32))
    let keyB = try! DownloadLinkKey(id: "key-b", secret: Array(repeating: 0xB2, count: 32))
    let alice = try! UserID(validating: "alice")
    let report = try! FileName(validating: "report.pdf")
    let version = FileID("0123456789abcdef0123456789abcdef")!
    let now: Int64 = 1_800_000_000
    let day: Int64 = 86_400

    func verify(
        _ signer: DownloadLinkSigner, _ link: DownloadLinkParameters, user: UserID? = nil, name: FileName? = nil,
        at time: Int64? = nil
    ) -> DownloadLinkFailure? {
        do throws(DownloadLinkFailure) {
            try signer.verify(
                link, userID: user ?? alice, fileName: name ?? report, now: time ?? now, maximumLifetime: day)
            return nil
        } catch {
            return error
        }
    }

    /// The link as it travels: through its query text and back.
    func roundTrip(_ link: DownloadLinkParameters) throws -> DownloadLinkParameters {
        let values = Dictionary(
            uniqueKeysWithValues: link.query.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), String(parts[1]))
            })
        return try DownloadLinkParameters(
            fileID: values["fid"], expires: values["expires"], keyID: values["kid"], signature: values["sig"])
    }

    @Test("a signed link verifies after a round trip through its query; sig is 43 base64url characters")
    func signAndVerify() throws {
        let signer = try DownloadLinkSigner(keys: [keyA])
        let link = signer.sign(userID: alice, fileName: report, fileID: version, expires: now + 3600)
        #expect(link.keyID == "key-a")
        let sig = link.query.split(separator: "&").last.map(String.init) ?? ""
        #expect(sig.hasPrefix("sig=") && sig.utf8.count == 4 + 43)
        #expect(link.query.hasPrefix("fid=\(version.rawValue)&expires=\(now + 3600)&kid=key-a&sig="))
        let parsed = try roundTrip(link)
        #expect(parsed == link)
        #expect(verify(signer, parsed) == nil)
    }

    @Test("changing any signed field breaks the signature")
    func tamperEachField() throws {
        let signer = try DownloadLinkSigner(keys: [keyA])
        let link = signer.sign(userID: alice, fileName: report, fileID: version, expires: now + 3600)
        let text = link.query
        let other = FileID("0123456789abcdef0123456789abcdee")!
        let tampered = [
            text.replacingOccurrences(of: "fid=\(version.rawValue)", with: "fid=\(other.rawValue)"),
            text.replacingOccurrences(of: "expires=\(now + 3600)", with: "expires=\(now + 3601)"),
        ]
        for query in tampered {
            let values = Dictionary(
                uniqueKeysWithValues: query.split(separator: "&").map {
                    let parts = $0.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), String(parts[1]))
                })
            let parsed = try DownloadLinkParameters(
                fileID: values["fid"], expires: values["expires"], keyID: values["kid"], signature: values["sig"])
            #expect(verify(signer, parsed) == .badSignature, "\(query)")
        }
        #expect(verify(signer, link, user: try UserID(validating: "bob")) == .badSignature)
        #expect(verify(signer, link, name: try FileName(validating: "report.pdF")) == .badSignature)
        // every bit of the signature matters
        for bit in [0, 7, 128, 255] {
            var signature = link.signature
            signature[bit / 8] ^= UInt8(1 << (bit % 8))
            let flipped = try DownloadLinkParameters(
                fileID: version.rawValue, expires: String(now + 3600), keyID: "key-a",
                signature: base64url(signature))
            #expect(verify(signer, flipped) == .badSignature, "bit \(bit)")
        }
    }

    @Test("a link is accepted until its expiry second, refused from it on; too long a lifetime is refused")
    func expiryBoundary() throws {
        let signer = try DownloadLinkSigner(keys: [keyA])
        let link = signer.sign(userID: alice, fileName: report, fileID: version, expires: now + 10)
        #expect(verify(signer, link, at: now + 9) == nil)
        #expect(verify(signer, link, at: now + 10) == .expired)
        #expect(verify(signer, link, at: now + 11) == .expired)
        // at most the maximum lifetime (+ 60 s of clock skew) ahead
        let long = signer.sign(userID: alice, fileName: report, fileID: version, expires: now + day + 60)
        #expect(verify(signer, long) == nil)
        let tooLong = signer.sign(userID: alice, fileName: report, fileID: version, expires: now + day + 61)
        #expect(verify(signer, tooLong) == .lifetimeTooLong)
        #expect(verify(signer, tooLong, at: now + 1) == nil)
    }

    @Test("rotation: the first key signs, every key verifies; a dropped key's links are an unknown kid")
    func rotation() throws {
        let old = try DownloadLinkSigner(keys: [keyA])
        let both = try DownloadLinkSigner(keys: [keyA, keyB])
        let swapped = try DownloadLinkSigner(keys: [keyB, keyA])
        let new = try DownloadLinkSigner(keys: [keyB])
        let oldLink = old.sign(userID: alice, fileName: report, fileID: version, expires: now + 60)
        let newLink = swapped.sign(userID: alice, fileName: report, fileID: version, expires: now + 60)
        #expect(both.sign(userID: alice, fileName: report, fileID: version, expires: now + 60).keyID == "key-a")
        #expect(newLink.keyID == "key-b")
        for signer in [both, swapped] {
            #expect(verify(signer, oldLink) == nil)
            #expect(verify(signer, newLink) == nil)
        }
        #expect(verify(new, oldLink) == .unknownKeyID)
        #expect(verify(old, newLink) == .unknownKeyID)
        // the same kid with another secret is a bad signature
        let impostor = try DownloadLinkSigner(keys: [
            try DownloadLinkKey(id: "key-a", secret: Array(repeating: 0xA2, count: 32))
        ])
        #expect(verify(impostor, oldLink) == .badSignature)
        // a kid swapped into the link does not pick another key for the same signature
        let relabelled = try DownloadLinkParameters(
            fileID: version.rawValue, expires: String(now + 60), keyID: "key-b",
            signature: base64url(oldLink.signature))
        #expect(verify(both, relabelled) == .badSignature)
    }

    @Test("user ids and names are signed as bytes: equal-looking and concatenation-ambiguous pairs differ")
    func byteIdentity() throws {
        let signer = try DownloadLinkSigner(keys: [keyA])
        let pairs: [((String, String), (String, String))] = [
            (("Kate", "a.txt"), ("\u{212A}ate", "a.txt")),  // KELVIN SIGN
            (("bob", "caf\u{E9}.txt"), ("bob", "cafe\u{301}.txt")),  // precomposed vs decomposed
            (("ab", "c.txt"), ("a", "bc.txt")),  // same concatenation
            (("日本", "ファイル.bin"), ("日本", "ファイル.bin ")),
        ]
        for ((userA, nameA), (userB, nameB)) in pairs {
            let first = (try UserID(validating: userA), try FileName(validating: nameA))
            let second = (try UserID(validating: userB), try FileName(validating: nameB))
            let link = signer.sign(userID: first.0, fileName: first.1, fileID: version, expires: now + 60)
            #expect(verify(signer, link, user: first.0, name: first.1) == nil, "\(userA) \(nameA)")
            #expect(verify(signer, link, user: second.0, name: second.1) == .badSignature, "\(userB) \(nameB)")
        }
    }

    @Test("malformed parameters are refused before any key is used")
    func malformed() {
        let sig = String(repeating: "A", count: 43)
        let fid = version.rawValue
        let cases: [(String?, String?, String?, String?)] = [
            (nil, "1800000060", "key-a", sig), (fid, nil, "key-a", sig), (fid, "1800000060", nil, sig),
            (fid, "1800000060", "key-a", nil), (fid.uppercased(), "1800000060", "key-a", sig),
            (String(fid.dropLast()), "1800000060", "key-a", sig), (fid, "-1", "key-a", sig), (fid, "+5", "key-a", sig),
            (fid, "01800000060", "key-a", sig), (fid, "", "key-a", sig), (fid, "1e9", "key-a", sig),
            (fid, "9999999999999999999", "key-a", sig), (fid, "1800000060", "", sig),
            (fid, "1800000060", "key a", sig), (fid, "1800000060", String(repeating: "k", count: 65), sig),
            (fid, "1800000060", "key-a", String(sig.dropLast())), (fid, "1800000060", "key-a", sig + "A"),
            (fid, "1800000060", "key-a", String(sig.dropLast()) + "B"),  // unused low bits set
            (fid, "1800000060", "key-a", String(sig.dropLast(2)) + "=="),
            (fid, "1800000060", "key-a", String(sig.dropLast()) + "+"),
        ]
        for (fileID, expires, keyID, signature) in cases {
            #expect(
                throws: DownloadLinkFailure.malformed,
                "\(String(describing: fileID)) \(String(describing: expires)) \(String(describing: keyID)) \(String(describing: signature))"
            ) {
                try DownloadLinkParameters(fileID: fileID, expires: expires, keyID: keyID, signature: signature)
            }
        }
    }

    @Test("keys: no key, a repeated id, a short secret or a bad id are refused")
    func keyRules() throws {
        #expect(throws: CoreStoreError.self) { try DownloadLinkSigner(keys: []) }
        #expect(throws: CoreStoreError.self) { try DownloadLinkSigner(keys: [keyA, keyA]) }
        #expect(throws: CoreStoreError.self) { try DownloadLinkKey(id: "k", secret: Array(repeating: 1, count: 31)) }
        #expect(throws: CoreStoreError.self) { try DownloadLinkKey(id: "k/1", secret: Array(repeating: 1, count: 32)) }
        let generated = try? DownloadLinkKey.generated(secret: Array(repeating: 7, count: 32))
        #expect(generated?.id.hasPrefix("local-") == true && generated?.id.utf8.count == 14)
        #expect(try DownloadLinkKey.generated(secret: Array(repeating: 7, count: 32)).id == generated?.id)
        #expect(try DownloadLinkKey.generated(secret: Array(repeating: 8, count: 32)).id != generated?.id)
    }

    @Test("key file: first line signs, comments and blank lines ignored, errors name the line and never the secret")
    func keyFile() throws {
        let secretA = String(repeating: "a1", count: 32)
        let secretB = String(repeating: "B2", count: 40)
        let keys = try DownloadLinkKeyFile.parse(Array("# rotation\n\nnew \(secretB)\r\n  old\t\(secretA)\n".utf8))
        #expect(keys.map(\.id) == ["new", "old"])
        let signer = try DownloadLinkSigner(keys: keys)
        let link = try DownloadLinkSigner(keys: [keys[1]]).sign(
            userID: alice, fileName: report, fileID: version, expires: now + 60)
        #expect(verify(signer, link) == nil)
        let bad: [(String, String)] = [
            ("", "no key"), ("# only a comment\n", "no key"), ("k1\n", "line 1"),
            ("k1 \(secretA) extra\n", "line 1"), ("\nk/1 \(secretA)\n", "line 2: a key id"),
            ("k1 \(secretA.dropLast(2))\n", "line 1: the secret of key k1 is not at least 64 hex digits"),
            ("k1 \(secretA.dropLast())x\n", "line 1: the secret"),
            ("k1 \(secretA)\nk1 \(secretB)\n", "line 2: key id k1 is listed twice"),
        ]
        for (text, expected) in bad {
            let message = parseError(text)
            #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
            #expect(message?.contains(secretA.prefix(16)) != true && message?.contains(secretB.prefix(16)) != true)
        }
        #expect(throws: CoreStoreError.self) { try DownloadLinkKeyFile.load(path: "/nonexistent/link-keys") }
    }

    /// The message of the error parsing `text` as a key file throws, `nil` when it parses.
    private func parseError(_ text: String) -> String? {
        do {
            _ = try DownloadLinkKeyFile.parse(Array(text.utf8))
            return nil
        } catch {
            return error.message
        }
    }

    private func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
