import Synchronization

/// The disk space all spool files of this node may reserve ahead of their bytes, together.
///
/// A declared `Content-Length` lets an upload reserve its blocks before they arrive (less
/// fragmentation, and a full disk is found before the body is read), but reserved space is
/// space no other upload can use: without a bound, a few clients that announce large bodies and
/// send slowly push the spool under its free-space watermark and every upload gets 503. Past the
/// budget a spool file simply reserves nothing and allocates as it writes.
final class SpoolReservationBudget: Sendable {
    private let capacity: Int64
    private let reserved = Mutex<Int64>(0)

    /// - Parameter capacityBytes: The total; 0 turns reservations off.
    init(capacityBytes: Int64) {
        self.capacity = max(capacityBytes, 0)
    }

    /// Takes up to `bytes` (rounded down to `granularity`) from the budget and returns how much
    /// was taken (possibly 0); give it back with ``giveBack(_:)``.
    func take(upTo bytes: Int64, granularity: Int64) -> Int64 {
        reserved.withLock { used in
            let available = max(capacity - used, 0)
            let taken = min(bytes, available) / max(granularity, 1) * max(granularity, 1)
            used += taken
            return taken
        }
    }

    /// Returns bytes taken with ``take(upTo:granularity:)``.
    func giveBack(_ bytes: Int64) {
        guard bytes > 0 else { return }
        reserved.withLock { $0 -= bytes }
    }

    /// Bytes reserved now.
    var reservedBytes: Int64 { reserved.withLock { $0 } }
}

extension SpoolReservationBudget {
    /// A budget that never runs out (tools and tests that reserve freely).
    static var unbounded: SpoolReservationBudget { SpoolReservationBudget(capacityBytes: .max) }
}
