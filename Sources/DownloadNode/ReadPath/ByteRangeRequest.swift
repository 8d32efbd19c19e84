/// A single-range `Range: bytes=…` request resolved against a file size (RFC 9110 §14).
///
/// Anything that is not one syntactically valid byte range (other units, several ranges,
/// garbage) is ignored and the whole file is served, as RFC 9110 allows.
enum ByteRangeRequest: Equatable {
    /// Serve the whole file (no Range, or one that is ignored).
    case whole
    /// Serve `range` (inclusive) with 206.
    case partial(ClosedRange<Int64>)
    /// 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    /// Resolves a Range header value.
    /// - Parameters:
    ///   - header: The `Range` value, if any.
    ///   - size: The file size.
    init(header: String?, size: Int64) {
        guard let header, header.utf8.count <= 256 else {
            self = .whole
            return
        }
        let trimmed = header.trimmingWhitespace()
        guard trimmed.lowercased().hasPrefix("bytes="), !trimmed.contains(",") else {
            self = .whole
            return
        }
        let spec = trimmed.dropFirst(6).trimmingWhitespace()
        let pieces = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2 else {
            self = .whole
            return
        }
        let first = pieces[0].trimmingWhitespace()
        let last = pieces[1].trimmingWhitespace()
        if first.isEmpty {
            // suffix range: the last N bytes
            guard let count = Int64(last), count >= 0 else {
                self = .whole
                return
            }
            guard count > 0, size > 0 else {
                self = .unsatisfiable
                return
            }
            self = .partial(max(0, size - count)...(size - 1))
            return
        }
        guard let start = Int64(first), start >= 0 else {
            self = .whole
            return
        }
        var end = size - 1
        if !last.isEmpty {
            guard let value = Int64(last), value >= start else {
                self = .whole
                return
            }
            end = min(value, size - 1)
        }
        guard start < size else {
            self = .unsatisfiable
            return
        }
        self = .partial(start...end)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
