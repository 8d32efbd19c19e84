import CoreStore
import Synchronization

/// The switch shared by ``CrashingResumableMetadata`` and ``CrashingPartStore``: once it trips,
/// every later call of either store fails, as if the node had died at that point (nothing the
/// node would do afterwards, such as deleting its own tail object, reaches the stores).
public final class SimulatedNodeCrash: Sendable {
    private let dead = Mutex(false)

    /// A live node.
    public init() {}

    /// Kills the node: every later store call fails.
    public func trip() { dead.withLock { $0 = true } }

    /// Whether the node is dead.
    public var isDead: Bool { dead.withLock { $0 } }

    /// Throws `error` when the node is dead.
    /// - Throws: `error`.
    func checkAlive(_ error: CoreStoreError.Code) throws {
        if isDead { throw CoreStoreError(error) }
    }
}
