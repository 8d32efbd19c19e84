public import CoreStore
public import HTTPTypes

/// The `If-Match` / `If-None-Match` preconditions of a request (RFC 9110 §13.1.1, §13.1.2),
/// evaluated against a file's current version; its entity tag is the quoted MD5 (``entityTag(of:)``).
public struct EntityTagPreconditions: Sendable, Equatable {
    /// The `If-Match` member list (`nil` when the header is absent).
    public let ifMatch: [String]?
    /// The `If-None-Match` member list (`nil` when the header is absent).
    public let ifNoneMatch: [String]?

    /// Reads the two headers (every line of each; members separated by commas).
    public init(_ headers: HTTPFields) {
        ifMatch = Self.members(headers[values: .ifMatch])
        ifNoneMatch = Self.members(headers[values: .ifNoneMatch])
    }

    /// Whether the request carries either header.
    public var isEmpty: Bool { ifMatch == nil && ifNoneMatch == nil }

    /// The strong entity tag of a version: `"<md5 hex>"`.
    public static func entityTag(of record: FileRecord) -> String { "\"\(record.md5.hex)\"" }

    /// Checks a state-changing request (PUT, upload POST, DELETE): `If-Match` needs a current
    /// version whose tag matches strongly (`*`: any current version); `If-None-Match` fails when a
    /// current version exists and `*` or a tag matching it weakly is listed.
    /// - Parameter current: The live version, or `nil` when the name has none.
    /// - Throws: `.preconditionFailed`.
    public func check(current: FileRecord?) throws(CoreStoreError) {
        try checkIfMatch(current: current)
        if let ifNoneMatch, let current {
            let tag = Self.entityTag(of: current)
            if ifNoneMatch.contains(where: { $0 == "*" || $0 == tag || $0 == "W/" + tag }) {
                throw CoreStoreError(.preconditionFailed, "If-None-Match: the file exists in a listed version")
            }
        }
    }

    /// Checks `If-Match` alone (what GET and HEAD evaluate before `If-None-Match`, whose failure
    /// is a 304 rather than a 412).
    /// - Throws: `.preconditionFailed`.
    public func checkIfMatch(current: FileRecord?) throws(CoreStoreError) {
        guard let ifMatch else { return }
        let tag = current.map(Self.entityTag(of:))
        let matches = tag.map { tag in ifMatch.contains { $0 == "*" || $0 == tag } } ?? false
        if !matches {
            throw CoreStoreError(.preconditionFailed, "If-Match: the file's current version is not a listed one")
        }
    }

    private static func members(_ lines: [String]) -> [String]? {
        guard !lines.isEmpty else { return nil }
        return lines.flatMap { $0.split(separator: ",") }.map { member in
            String(
                member.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" })
                    .reversed())
        }
    }
}
