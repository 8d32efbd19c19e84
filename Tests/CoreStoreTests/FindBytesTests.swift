import CStubs
import CoreStore
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

    typealias Search = (UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int) -> Int

    /// Expects `search` to agree with a naive search on small-alphabet data (many near-matches),
    /// every needle length 1-40 and every tail length.
    private static func expectAgreesWithNaiveSearch(_ name: String, _ search: Search) {
        var random = SeededGenerator(seed: 7)
        for round in 0..<3000 {
            let alphabet = UInt8(2 + round % 3)
            let haystack = (0..<Int(random.next() % 200)).map { _ in UInt8(random.next() % UInt64(alphabet)) }
            let needle = (0..<Int(1 + random.next() % 40)).map { _ in UInt8(random.next() % UInt64(alphabet)) }
            let found = haystack.withUnsafeBufferPointer { hay in
                needle.withUnsafeBufferPointer { search(hay.baseAddress, hay.count, $0.baseAddress, $0.count) }
            }
            #expect(found == Self.naive(haystack, needle), "\(name): haystack \(haystack) needle \(needle)")
        }
    }

    @Test("the selected search agrees with a naive search")
    func selectedSearch() {
        Self.expectAgreesWithNaiveSearch("selected") { cstubs_find_bytes($0, $1, $2, $3) }
    }

    @Test("the portable search (16-byte vectors) agrees with a naive search")
    func portableSearch() {
        Self.expectAgreesWithNaiveSearch("portable") { cstubs_find_bytes_portable($0, $1, $2, $3) }
    }

    @Test("the AVX2 search agrees with a naive search", .requires(.avx2))
    func avx2Search() {
        Self.expectAgreesWithNaiveSearch("avx2") { cstubs_find_bytes_avx2($0, $1, $2, $3) }
    }
}
