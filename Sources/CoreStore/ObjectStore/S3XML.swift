import Foundation

/// One page of a ListMultipartUploads answer.
struct S3MultipartUploadPage: Sendable, Equatable {
    /// Uploads on this page.
    var uploads: [PendingMultipartUpload]
    /// More pages follow.
    var isTruncated: Bool
    /// `key-marker` for the next page.
    var nextKeyMarker: String?
    /// `upload-id-marker` for the next page.
    var nextUploadIDMarker: String?
}

/// A small scanner for S3's flat XML documents (errors, CreateMultipartUpload,
/// CompleteMultipartUpload, ListMultipartUploads). These documents never nest an element
/// inside one of the same name, so a tag scan is enough and needs no XML library.
enum S3XML {
    /// The raw contents of every `<tag …>…</tag>` element, in order (`<tag/>` gives "").
    static func elements(_ tag: String, in xml: Substring) -> [Substring] {
        var result: [Substring] = []
        var rest = xml
        let open = "<" + tag
        let close = "</" + tag + ">"
        while let start = rest.firstRange(of: open) {
            let afterName = start.upperBound
            guard afterName < rest.endIndex else { break }
            guard [">", " ", "/", "\n", "\r", "\t"].contains(rest[afterName]),
                let tagEnd = rest[afterName...].firstIndex(of: ">")
            else {
                rest = rest[afterName...]
                continue
            }
            let contentStart = rest.index(after: tagEnd)
            if rest[rest.index(before: tagEnd)] == "/" {
                result.append(rest[contentStart..<contentStart])
                rest = rest[contentStart...]
                continue
            }
            guard let end = rest[contentStart...].firstRange(of: close) else { break }
            result.append(rest[contentStart..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return result
    }

    /// The decoded text of the first `<tag>` element, trimmed, or `nil`.
    static func value(_ tag: String, in xml: Substring) -> String? {
        elements(tag, in: xml).first.map { unescape($0).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Decodes the five XML entities and numeric character references (`&#34;`, `&#x22;`).
    ///
    /// Works on Unicode scalars, not `Character`s: a combining mark after `;` or `&` would otherwise
    /// merge with it into one grapheme and hide it (found by the `FuzzS3XML` fuzz target).
    static func unescape(_ text: Substring) -> String {
        var rest = text.unicodeScalars
        guard rest.contains("&") else { return String(text) }
        var out = String.UnicodeScalarView()
        while let amp = rest.firstIndex(of: "&") {
            out.append(contentsOf: rest[..<amp])
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out.append("&")
                rest = rest[rest.index(after: amp)...]
                continue
            }
            if let decoded = decodeEntity(Substring(rest[rest.index(after: amp)..<semi])) {
                out.append(contentsOf: decoded.unicodeScalars)
            } else {
                out.append(contentsOf: rest[amp...semi])
            }
            rest = rest[rest.index(after: semi)...]
        }
        out.append(contentsOf: rest)
        return String(out)
    }

    private static func decodeEntity(_ entity: Substring) -> String? {
        switch entity {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard entity.hasPrefix("#") else { return nil }
            let digits = entity.dropFirst()
            let scalar =
                digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return scalar.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }

    /// Escapes text for an XML element body, scalar by scalar (a `<` followed by a combining mark is
    /// one `Character` but still a raw `<` in the XML; found by the `FuzzS3XML` fuzz target).
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// An ETag without its surrounding quotes.
    static func unquote(_ etag: String) -> String {
        var value = etag.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("W/") { value.removeFirst(2) }
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast())
        }
        return value
    }

    // MARK: Documents

    /// The `UploadId` of a CreateMultipartUpload answer.
    static func uploadID(from body: [UInt8]) -> String? {
        value("UploadId", in: String(decoding: body, as: UTF8.self)[...]).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The unquoted `ETag` of a CompleteMultipartUpload answer, or `nil` (e.g. an `<Error>` body).
    static func completedETag(from body: [UInt8]) -> String? {
        let xml = String(decoding: body, as: UTF8.self)[...]
        guard !elements("CompleteMultipartUploadResult", in: xml).isEmpty else { return nil }
        return value("ETag", in: xml).map(unquote)
    }

    /// Whether the body is an `<Error>` document (CompleteMultipartUpload can fail inside a 200).
    static func isError(_ body: [UInt8]) -> Bool {
        !elements("Error", in: String(decoding: body, as: UTF8.self)[...]).isEmpty
    }

    /// One page of a ListMultipartUploads answer.
    static func multipartUploadPage(from body: [UInt8], now: Date = Date()) -> S3MultipartUploadPage {
        let xml = String(decoding: body, as: UTF8.self)[...]
        let uploads = elements("Upload", in: xml).compactMap { upload -> PendingMultipartUpload? in
            guard let key = value("Key", in: upload), let id = value("UploadId", in: upload) else { return nil }
            let initiated = value("Initiated", in: upload).flatMap(parseDate) ?? now
            return PendingMultipartUpload(key: ObjectKey(rawValue: key), uploadID: id, initiated: initiated)
        }
        return S3MultipartUploadPage(
            uploads: uploads,
            isTruncated: value("IsTruncated", in: xml)?.lowercased() == "true",
            nextKeyMarker: value("NextKeyMarker", in: xml).flatMap { $0.isEmpty ? nil : $0 },
            nextUploadIDMarker: value("NextUploadIdMarker", in: xml).flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Parses ISO 8601 with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
