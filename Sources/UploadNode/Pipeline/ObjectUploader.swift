import CoreStore
import Logging

/// Makes the ``MultipartPipeline`` of each upload from the node's settings.
struct ObjectUploader: Sendable {
    let store: any ObjectStore
    let spool: SpoolDirectory
    let thresholdBytes: Int64
    let partBytes: Int64
    let partConcurrency: Int
    let logger: Logger

    /// A pipeline for one upload into `key`, spooled at `names`.
    func pipeline(key: ObjectKey, names: SpoolFileNames) -> MultipartPipeline {
        MultipartPipeline(
            store: store, key: key, spool: spool, names: names, thresholdBytes: thresholdBytes,
            maxInFlight: partConcurrency, logger: logger)
    }
}
