/// The headers of one `multipart/form-data` part, with the values a form reader needs parsed out.
///
/// `Content-Disposition` must be `form-data` with a `name` (RFC 7578 §4.2). The file name comes from
/// `filename*` (RFC 5987/8187 `UTF-8''%E2%82%AC.txt` or `ISO-8859-1''…`) when that is present and in a
/// supported charset, otherwise from `filename`; it is returned as sent (not validated as a file name).
public struct MultipartPartHeaders: Sendable, Equatable {
    /// One header line: the name lowercased, the value with surrounding whitespace removed.
    public struct Field: Sendable, Equatable {
        /// The header name, lowercased (`content-disposition`).
        public var name: String
        /// The header value, trimmed.
        public var value: String

        /// Creates a field; the name is lowercased.
        public init(name: String, value: String) {
            self.name = name.lowercased()
            self.value = value
        }
    }

    /// The form field name (`name` parameter of `Content-Disposition`).
    public var name: String
    /// The file name (`filename*` decoded, else `filename`); `nil` when the part is not a file.
    public var filename: String?
    /// The part's `Content-Type` value, if any.
    public var contentType: String?
    /// All header fields in order.
    public var fields: [Field]

    /// Builds the parsed view of a part's header fields.
    /// - Throws: `CoreStoreError(.malformedMultipart)` when `Content-Disposition` is missing, repeated,
    ///   not `form-data`, has no `name`, or has an unparsable parameter or `filename*`.
    public init(fields: [Field]) throws(CoreStoreError) {
        let dispositions = fields.filter { $0.name == "content-disposition" }
        guard dispositions.count == 1, let disposition = dispositions.first else {
            throw CoreStoreError(.malformedMultipart, "each part needs exactly one Content-Disposition")
        }
        let parsed = try HeaderParameters(parsing: disposition.value)
        guard parsed.value.lowercased() == "form-data" else {
            throw CoreStoreError(.malformedMultipart, "Content-Disposition must be form-data")
        }
        guard let name = parsed["name"] else {
            throw CoreStoreError(.malformedMultipart, "Content-Disposition without a name")
        }
        self.name = name
        var filename = parsed["filename"]
        if let extended = parsed["filename*"], let decoded = try Self.decodeExtendedValue(extended) {
            filename = decoded
        }
        self.filename = filename
        self.contentType = fields.first { $0.name == "content-type" }?.value
        self.fields = fields
    }

    /// The value of the first header called `name` (case-insensitive).
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name == lowered }?.value
    }

    /// Decodes an RFC 8187 ext-value `charset'[language]'pct-encoded`.
    /// - Returns: The text, or `nil` for a charset other than UTF-8 and ISO-8859-1 (RFC 6266 §4.3: ignore it).
    /// - Throws: `CoreStoreError(.malformedMultipart)` for a missing `'`, a bad `%XX`, or invalid UTF-8.
    static func decodeExtendedValue(_ text: String) throws(CoreStoreError) -> String? {
        let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw CoreStoreError(.malformedMultipart, "filename* must be charset'language'value")
        }
        let bytes = try percentDecoded(parts[2].utf8)
        switch parts[0].lowercased() {
        case "utf-8":
            guard let decoded = String(validating: bytes, as: UTF8.self) else {
                throw CoreStoreError(.malformedMultipart, "filename* is not valid UTF-8")
            }
            return decoded
        case "iso-8859-1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default:
            return nil
        }
    }

    private static func percentDecoded(_ input: Substring.UTF8View) throws(CoreStoreError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var iterator = input.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw CoreStoreError(.malformedMultipart, "bad percent-encoding in filename*")
            }
            output.append(high << 4 | low)
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension MultipartPartHeaders {
    /// Parses a raw header block: `name: value` lines, each ended by CRLF (the empty line excluded).
    /// Lines starting with a space or tab continue the previous value (obsolete folding).
    /// - Throws: `CoreStoreError(.malformedMultipart)` for a line without a colon, an empty name, a bare
    ///   CR, LF or NUL, invalid UTF-8, or an invalid `Content-Disposition`.
    init(block: UnsafeRawBufferPointer) throws(CoreStoreError) {
        var fields: [Field] = []
        var lineStart = 0
        while lineStart < block.count {
            var lineEnd = lineStart
            while lineEnd < block.count, block[lineEnd] != UInt8(ascii: "\r") { lineEnd += 1 }
            guard lineEnd + 1 < block.count, block[lineEnd + 1] == UInt8(ascii: "\n") else {
                throw CoreStoreError(.malformedMultipart, "bare CR in part headers")
            }
            let line = UnsafeRawBufferPointer(rebasing: block[lineStart..<lineEnd])
            lineStart = lineEnd + 2
            guard !line.contains(UInt8(ascii: "\n")), !line.contains(0) else {
                throw CoreStoreError(.malformedMultipart, "bare LF or NUL in part headers")
            }
            guard let text = String(validating: line, as: UTF8.self) else {
                throw CoreStoreError(.malformedMultipart, "part headers are not valid UTF-8")
            }
            if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                guard let last = fields.indices.last else {
                    throw CoreStoreError(.malformedMultipart, "part headers start with a continuation line")
                }
                fields[last].value += " " + Self.trimmed(text)
                continue
            }
            guard let colon = text.firstIndex(of: ":") else {
                throw CoreStoreError(.malformedMultipart, "part header line without a colon")
            }
            let name = Self.trimmed(text[..<colon])
            guard !name.isEmpty else { throw CoreStoreError(.malformedMultipart, "empty part header name") }
            fields.append(Field(name: name, value: Self.trimmed(text[text.index(after: colon)...])))
        }
        try self.init(fields: fields)
    }

    private static func trimmed(_ text: some StringProtocol) -> String {
        var slice = Substring(text)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
