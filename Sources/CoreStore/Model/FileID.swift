import Foundation

/// A time-ordered unique identifier of one stored version of a file.
///
/// 32 lowercase hex digits: 12 of milliseconds since 1970 followed by 20 random ones (80 bits),
/// so ids sort by creation time and are unguessable. Every cache is keyed by `FileID`; since an
/// object is never rewritten under the same id, a cached copy can never be stale.
public struct FileID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32-character hex form.
    public let rawValue: String

    /// Parses an id; `nil` unless `rawValue` is exactly 32 lowercase hex digits.
    /// - Parameter rawValue: The textual id.
    public init?(_ rawValue: String) {
        guard rawValue.utf8.count == 32,
            rawValue.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { return nil }
        self.rawValue = rawValue
    }

    /// Makes a new id for the current time.
    /// - Parameter milliseconds: Milliseconds since 1970 (tests pass a fixed value).
    public static func generate(milliseconds: UInt64 = FileID.nowMilliseconds()) -> FileID {
        var generator = SystemRandomNumberGenerator()
        let high = UInt16.random(in: .min ... .max, using: &generator)
        let low = UInt64.random(in: .min ... .max, using: &generator)
        let time = String(milliseconds & 0xFFFF_FFFF_FFFF, radix: 16).leftPadded(to: 12)
        let random = String(high, radix: 16).leftPadded(to: 4) + String(low, radix: 16).leftPadded(to: 16)
        return FileID(time + random)!
    }

    /// Milliseconds since 1970 from the realtime clock.
    public static func nowMilliseconds() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1000)
    }

    /// The hex form.
    public var description: String { rawValue }

    /// Orders ids by creation time (then randomness).
    public static func < (lhs: FileID, rhs: FileID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
