public import Logging

/// Writes a log line's fields as one JSON object, keys sorted by their UTF-8 bytes, without
/// Foundation: `JSONSerialization` with sorted keys compares keys through ICU collation, which cost
/// as much CPU per request as the rest of the handler put together (two lines per request at
/// `info`).
public enum JSONLineEncoder {
    /// One JSON object for `fields` (string values, or nested metadata), followed by a newline.
    public static func line(_ fields: [String: Logger.Metadata.Value]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        appendObject(fields, to: &output)
        output.append(0x0A)
        return output
    }

    private static func appendObject(_ fields: [String: Logger.Metadata.Value], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        let keys = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(key, to: &output)
            output.append(UInt8(ascii: ":"))
            appendValue(fields[key]!, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    private static func appendValue(_ value: Logger.Metadata.Value, to output: inout [UInt8]) {
        switch value {
        case .string(let text):
            appendString(text, to: &output)
        case .stringConvertible(let convertible):
            appendString(convertible.description, to: &output)
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendValue(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .dictionary(let values):
            appendObject(values, to: &output)
        }
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped,
    /// everything else copied as UTF-8.
    static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
