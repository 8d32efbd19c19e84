/// A header value of the form `value *( ";" name "=" ( token / quoted-string ) )`, split into its
/// leading value and its parameters (RFC 9110 §5.6.6), as `Content-Type` and `Content-Disposition` use it.
///
/// Parameter names are lowercased (they are case-insensitive); a name given twice is an error, so two
/// readers of the same header can never disagree about which `filename` counts. Quoted strings
/// unescape `\"` and `\\`; a backslash before any other character is kept as is (old browsers send
/// Windows paths such as `C:\dir\a.txt` unescaped).
struct HeaderParameters: Sendable, Equatable {
    /// The value before the first `;`, trimmed (e.g. `form-data`, `multipart/form-data`).
    var value: String
    /// The parameters in order, names lowercased, values unquoted.
    var parameters: [(name: String, value: String)]

    /// The value of the parameter `name` (lowercase), if present.
    subscript(name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.value == rhs.value && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }

    /// Parses `text`.
    /// - Throws: `CoreStoreError(.malformedMultipart)` for a parameter without `=`, an empty parameter
    ///   name, an unterminated quoted string, junk after a quoted string, or a duplicated parameter.
    init(parsing text: String) throws(CoreStoreError) {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        value = Self.string(Self.trimmed(bytes[0..<index]))
        parameters = []
        while index < bytes.count {
            index += 1  // skip ";"
            Self.skipWhitespace(bytes, &index)
            if index == bytes.count { break }
            if bytes[index] == UInt8(ascii: ";") { continue }  // tolerate ";;" and a trailing ";"
            let nameStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ";") {
                index += 1
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw CoreStoreError(.malformedMultipart, "header parameter without a value")
            }
            let name = Self.string(Self.trimmed(bytes[nameStart..<index])).lowercased()
            guard !name.isEmpty else { throw CoreStoreError(.malformedMultipart, "empty header parameter name") }
            index += 1  // skip "="
            Self.skipWhitespace(bytes, &index)
            let parameterValue: String
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                parameterValue = try Self.quotedString(bytes, &index)
                Self.skipWhitespace(bytes, &index)
                guard index == bytes.count || bytes[index] == UInt8(ascii: ";") else {
                    throw CoreStoreError(.malformedMultipart, "junk after a quoted header parameter")
                }
            } else {
                let valueStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                parameterValue = Self.string(Self.trimmed(bytes[valueStart..<index]))
            }
            guard !parameters.contains(where: { $0.name == name }) else {
                throw CoreStoreError(.malformedMultipart, "duplicated header parameter")
            }
            parameters.append((name, parameterValue))
        }
    }

    /// Reads a quoted string starting at the opening quote; leaves `index` after the closing quote.
    private static func quotedString(_ bytes: [UInt8], _ index: inout Int) throws(CoreStoreError) -> String {
        var result: [UInt8] = []
        index += 1  // opening quote
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return string(result[...])
            }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
                bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\")
            {
                result.append(bytes[index + 1])
                index += 2
                continue
            }
            result.append(byte)
            index += 1
        }
        throw CoreStoreError(.malformedMultipart, "unterminated quoted string in a header")
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            slice = slice.dropFirst()
        }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            slice = slice.dropLast()
        }
        return slice
    }

    /// The input came from a `String`, and cutting it at ASCII bytes keeps it valid UTF-8.
    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
