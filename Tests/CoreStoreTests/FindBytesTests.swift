import CStubs
import Testing

@Suite("vectorised substring search (cstubs_find_bytes)")
struct FindBytesTests {
    /// The first offset of `needle` in `haystack`, byte by byte.
    private static func naive(_ haystack: [UInt8], _ needle: [UInt8]) -> Int {
        guard haystack.count >= needle.count else { return -1 }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle {
            return start
        }
        return -1
    }

    @Test("both paths agree with a naive search on small-alphabet data, every needle length 1-40 and every tail length")
    func agreesWithNaiveSearch() {
        var random = SeededGenerator(seed: 7)
        for round in 0..<3000 {
            let alphabet = UInt8(2 + round % 3)  // few symbols: many near-matches
            let haystack = (0..<Int(random.next() % 200)).map { _ in UInt8(random.next() % UInt64(alphabet)) }
            let needle = (0..<Int(1 + random.next() % 40)).map { _ in UInt8(random.next() % UInt64(alphabet)) }
            let (found, portable) = haystack.withUnsafeBufferPointer { hay in
                needle.withUnsafeBufferPointer {
                    (
                        cstubs_find_bytes(hay.baseAddress, hay.count, $0.baseAddress, $0.count),
                        cstubs_find_bytes_portable(hay.baseAddress, hay.count, $0.baseAddress, $0.count)
                    )
                }
            }
            let expected = Self.naive(haystack, needle)
            #expect(found == expected, "haystack \(haystack) needle \(needle)")
            #expect(portable == expected, "portable: haystack \(haystack) needle \(needle)")
        }
    }
}
