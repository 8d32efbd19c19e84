import Foundation
import NodeHTTP
import Testing

@Suite("ISO 8601 timestamps")
struct ISO8601TimestampTests {
    @Test("a date read back from stored milliseconds prints exactly those milliseconds")
    func storedMilliseconds() {
        let base: Int64 = 1_796_000_000_000  // 2026-11-29T...
        for offset in Int64(0)..<2000 {
            let milliseconds = base + offset * 7
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let text = ISO8601Timestamp.string(from: date)
            let fraction = String(text.dropLast().suffix(3))
            #expect(fraction == String(format: "%03lld", milliseconds % 1000), "\(text) for \(milliseconds)")
        }
        #expect(ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(
            ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 1_764_806_400.5)) == "2025-12-04T00:00:00.500Z")
        #expect(
            ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 951_827_696.789)) == "2000-02-29T12:34:56.789Z")
    }
}
