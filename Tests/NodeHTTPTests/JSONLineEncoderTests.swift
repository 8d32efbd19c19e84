import Foundation
import Logging
import NodeHTTP
import Testing

@Suite("JSON log lines")
struct JSONLineEncoderTests {
    @Test("keys sorted by bytes, strings escaped, nested values kept; the line parses back to the fields")
    func encodesAndParsesBack() throws {
        let fields: [String: Logger.Metadata.Value] = [
            "msg": "quote \" backslash \\ newline \n tab \t bell \u{07} slash / café \u{212A}",
            "b": .array(["x", .dictionary(["z": "1", "a": "2"])]),
            "a": .stringConvertible(42),
            "B": "upper",
        ]
        let line = JSONLineEncoder.line(fields)
        #expect(line.last == 0x0A)
        let text = String(decoding: line.dropLast(), as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"B":"upper","a":"42","b":["x",{"a":"2","z":"1"}],"msg":"quote \" backslash \\ newline \n tab \t bell \u0007"#
            ))
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(parsed["msg"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} slash / café \u{212A}")
        #expect(parsed["a"] as? String == "42")
        let nested = try #require(parsed["b"] as? [Any])
        #expect(nested.first as? String == "x")
        #expect((nested.last as? [String: String]) == ["a": "2", "z": "1"])
    }
}
