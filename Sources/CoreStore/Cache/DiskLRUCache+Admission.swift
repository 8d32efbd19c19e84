/// TinyLFU-style doorkeeper: remembers which large objects missed recently, so a large object is
/// admitted to the disk cache only on its second miss within the window (one-hit wonders never
/// push out the working set).
///
/// Two generations of sets: a miss is "recent" while it is in either; the current generation
/// becomes the previous one every half window (or when it fills up), bounding memory.
struct AdmissionDoorkeeper {
    private let halfWindow: Duration
    private let generationCapacity: Int
    private var current: Set<FileID> = []
    private var previous: Set<FileID> = []
    private var rotatedAt: ContinuousClock.Instant

    /// Creates a doorkeeper.
    /// - Parameters:
    ///   - window: How long a miss is remembered (at least half of it, at most all of it).
    ///   - capacity: Upper bound on remembered ids.
    init(window: Duration, capacity: Int, now: ContinuousClock.Instant = .now) {
        halfWindow = window / 2
        generationCapacity = max(1, capacity / 2)
        rotatedAt = now
    }

    /// Records a miss.
    /// - Returns: Whether the same id already missed within the window.
    mutating func recordMiss(_ id: FileID, now: ContinuousClock.Instant = .now) -> Bool {
        if now - rotatedAt >= halfWindow || current.count >= generationCapacity {
            previous = now - rotatedAt >= halfWindow * 2 ? [] : current
            current = []
            rotatedAt = now
        }
        if current.contains(id) || previous.contains(id) { return true }
        current.insert(id)
        return false
    }
}
