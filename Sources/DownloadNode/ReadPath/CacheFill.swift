import CoreStore
import Synchronization

/// One object being copied from the object store into a disk-cache file, shared by every
/// request for it (single-flight). Readers stream the contiguous prefix that has arrived while
/// the rest is still being fetched, so the first byte never waits for the whole object.
final class CacheFill: Sendable {
    /// How far the fill has come.
    enum Progress: Sendable {
        /// Bytes `0..<contiguous` are in the file at `path`.
        case running(contiguous: Int64)
        /// Complete; the verified file now lives in the cache (or, if the cache refused it, nil).
        case finished(CachedFile?)
        /// Failed; readers get this error.
        case failed(CoreStoreError)
    }

    private struct State {
        var progress: Progress = .running(contiguous: 0)
        var waiters: [(threshold: Int64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// The file being written (the cache's temporary path until the fill commits it).
    let path: String
    /// The object's size.
    let size: Int64
    private let state = Mutex(State())

    init(path: String, size: Int64) {
        self.path = path
        self.size = size
    }

    /// The current progress.
    var progress: Progress { state.withLock { $0.progress } }

    /// Records that bytes `0..<contiguous` are written.
    func advance(to contiguous: Int64) {
        resume { state in
            if case .running(let current) = state.progress, contiguous > current {
                state.progress = .running(contiguous: contiguous)
            }
        }
    }

    /// Records the end of the fill.
    func finish(_ outcome: Progress) {
        resume { $0.progress = outcome }
    }

    /// Waits until more than `offset` bytes are available, or the fill ended.
    /// - Returns: The progress at that moment.
    func wait(beyond offset: Int64) async -> Progress {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if case .running(let contiguous) = state.progress, contiguous <= offset {
                    state.waiters.append((offset, continuation))
                    return false
                }
                return true
            }
            if ready { continuation.resume() }
        }
        return progress
    }

    private func resume(_ update: (inout State) -> Void) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            update(&state)
            let contiguous: Int64
            switch state.progress {
            case .running(let value): contiguous = value
            default: contiguous = .max
            }
            let (due, waiting) = (
                state.waiters.filter { $0.threshold < contiguous }, state.waiters.filter { $0.threshold >= contiguous }
            )
            state.waiters = waiting
            return due.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }
}
