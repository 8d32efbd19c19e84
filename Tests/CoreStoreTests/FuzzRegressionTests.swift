import Foundation
import Testing

@testable import CoreStore

/// Inputs the libFuzzer targets in `Fuzz/` found (docs/testing.md, "Fuzzing"), replayed as
/// ordinary tests so they stay fixed without a fuzzing build.
@Suite("FuzzRegressions")
struct FuzzRegressionTests {
    /// FuzzS3XML `crash-fee3dc06…`: `&` followed by a combining mark (U+0747) is one `Character`, so
    /// the `Character`-based escaper let a raw `&` into the XML, and the unescaper could not see a `;`
    /// carrying a combining mark.
    @Test(arguments: [
        "&\u{747}", "<\u{301}x", ">\u{20DD}", "a&\u{301}b<\u{301}>\u{301}", "&amp;\u{301}", "&lt;\u{747}",
    ])
    func xmlEscapingWorksOnScalars(text: String) {
        let escaped = S3XML.escape(text)
        #expect(!escaped.unicodeScalars.contains("<") && !escaped.unicodeScalars.contains(">"))
        let ampersands = escaped.unicodeScalars.indices.filter { escaped.unicodeScalars[$0] == "&" }
        for index in ampersands {
            // Compared by scalars: `String.hasPrefix` compares `Character`s, the very trap fixed here.
            let entity = escaped.unicodeScalars[index...]
            #expect(
                ["&amp;", "&lt;", "&gt;"].contains { entity.starts(with: $0.unicodeScalars) }, "raw & in \(escaped)")
        }
        #expect(S3XML.unescape(escaped[...]) == text)
    }

    @Test func theCrashInputRoundTrips() {
        let crash: [UInt8] = [
            0x26, 0xdd, 0x87, 0xbb, 0xd9, 0xd9, 0xdc, 0x87, 0xbb, 0x38, 0x30, 0x30, 0x3b, 0x26, 0x61, 0x6d,
            0x70, 0x3b, 0x26, 0x6c, 0x74, 0x26, 0x75, 0x6e, 0x6b, 0x6e, 0x6f, 0x77, 0x6e, 0x3b,
        ]
        let text = String(decoding: crash, as: UTF8.self)
        #expect(S3XML.unescape(S3XML.escape(text)[...]) == text)
        #expect(S3XML.escape(text).utf8.starts(with: "&amp;".utf8))
    }

    @Test func unescapeDecodesEntitiesNextToCombiningMarks() {
        #expect(S3XML.unescape("&amp;\u{301}"[...]) == "&\u{301}")
        #expect(S3XML.unescape("x&lt;\u{747}y"[...]) == "x<\u{747}y")
    }
}
