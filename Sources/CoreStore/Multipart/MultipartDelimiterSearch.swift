internal import CStubs

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds delimiter lines (`CRLF--boundary` then `--`, or optional spaces/tabs and CRLF) in bytes, and
/// says where a delimiter cut by the end of the bytes may begin.
///
/// A vectorised search for the whole `CRLF--boundary` (`cstubs_find_bytes`: 16 positions per step;
/// the Boyer-Moore-Horspool loop it replaced waited on a dependent load per byte it read and cost
/// ~0.9 ms per 5 MiB upload, this ~0.3 ms; docs/decisions/0013), then `memchr` for CR and a compare
/// there for the last bytes, where a delimiter may be cut.
struct MultipartDelimiterSearch: Sendable {
    /// The outcome of a search.
    enum Result: Equatable {
        /// No delimiter; bytes before `dataEnd` are data, the rest may begin one and is kept.
        case exhausted(dataEnd: Int)
        /// A delimiter line of `length` bytes at `at`; `isClose` for `--boundary--`.
        case delimiter(at: Int, length: Int, isClose: Bool)
    }

    /// Whether a delimiter line starts at one position.
    enum Match: Equatable {
        case mismatch, needMore
        case part(length: Int)
        case close(length: Int)
    }

    /// The most spaces/tabs accepted between a boundary and its CRLF; beyond that it is data.
    static let maxTransportPadding = 256

    private let delimiter: [UInt8]

    /// Prepares the search for `boundary`.
    init(boundary: MultipartBoundary) {
        self.delimiter = boundary.delimiter
    }

    /// The first delimiter line in `raw`, or how much of `raw` is certainly data.
    func firstDelimiter(in raw: UnsafeRawBufferPointer) -> Result {
        delimiter.withUnsafeBufferPointer { Self.scan(raw, delimiter: $0) }
    }

    /// Whether `raw` starts with a first boundary line without CRLF (`--boundary` …).
    func matchAtBodyStart(_ raw: UnsafeRawBufferPointer) -> Match {
        delimiter.withUnsafeBufferPointer { Self.match(raw, at: 0, delimiter: $0, from: 2) }
    }

    /// Finds the first delimiter in `raw`, or how much of `raw` is certainly data.
    ///
    /// The vectorised search finds every full `CRLF--boundary` that fits in `raw`; then `memchr` for
    /// CR finds the rest, including a delimiter cut by the end of `raw`.
    private static func scan(_ raw: UnsafeRawBufferPointer, delimiter: UnsafeBufferPointer<UInt8>) -> Result {
        guard let base = raw.baseAddress, let pattern = delimiter.baseAddress else { return .exhausted(dataEnd: 0) }
        let length = delimiter.count
        var index = 0
        while index + length <= raw.count {
            let found = cstubs_find_bytes(
                base.assumingMemoryBound(to: UInt8.self) + index, raw.count - index, pattern, length)
            guard found >= 0 else {
                index = raw.count - length + 1
                break
            }
            let position = index + found
            if let result = outcome(match(raw, at: position, delimiter: delimiter, from: 0), at: position) {
                return result
            }
            index = position + 1
        }
        while index < raw.count {
            guard let found = memchr(base + index, Int32(cr), raw.count - index) else { break }
            let position = base.distance(to: UnsafeRawPointer(found))
            if let result = outcome(match(raw, at: position, delimiter: delimiter, from: 0), at: position) {
                return result
            }
            index = position + 1
        }
        return .exhausted(dataEnd: raw.count)
    }

    /// What a match attempt at `position` means for the search; nil: no delimiter there, search on.
    private static func outcome(_ match: Match, at position: Int) -> Result? {
        switch match {
        case .mismatch: nil
        case .needMore: .exhausted(dataEnd: position)
        case .part(let length): .delimiter(at: position, length: length, isClose: false)
        case .close(let length): .delimiter(at: position, length: length, isClose: true)
        }
    }

    /// Whether a delimiter line starts at `position`: `delimiter[first...]` (`CRLF--boundary` from
    /// `first`), then `--` (close), or optional spaces/tabs and CRLF (next part). Lengths count from
    /// `position`.
    @inline(__always)
    private static func match(
        _ raw: UnsafeRawBufferPointer, at position: Int, delimiter: UnsafeBufferPointer<UInt8>, from first: Int
    ) -> Match {
        let count = raw.count
        let end = position + delimiter.count - first  // where the boundary ends in `raw`
        var index = position
        var offset = first
        while offset < delimiter.count, index < count {
            if raw[index] != delimiter[offset] { return .mismatch }
            index += 1
            offset += 1
        }
        index = end
        guard index < count else { return .needMore }
        if raw[index] == dash {
            guard index + 1 < count else { return .needMore }
            return raw[index + 1] == dash ? .close(length: index + 2 - position) : .mismatch
        }
        let paddingStart = index
        while index < count, raw[index] == space || raw[index] == tab {
            index += 1
            if index - paddingStart > maxTransportPadding { return .mismatch }
        }
        guard index < count else { return .needMore }
        guard raw[index] == cr else { return .mismatch }
        guard index + 1 < count else { return .needMore }
        return raw[index + 1] == lf ? .part(length: index + 2 - position) : .mismatch
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let dash = UInt8(ascii: "-")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
}
