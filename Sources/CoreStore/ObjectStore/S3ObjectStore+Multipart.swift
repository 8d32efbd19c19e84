import Logging

extension S3ObjectStore {
    /// Starts a multipart upload (`POST ?uploads=`).
    public func createMultipartUpload(key: ObjectKey, contentType: String) async throws -> String {
        let request = builder.createMultipartUpload(key: key, contentType: contentType)
        return try await retry.run(operation: "CreateMultipartUpload", logger: logger) { _ in
            let response = try await execute("CreateMultipartUpload", key: key, request)
            guard let uploadID = S3XML.uploadID(from: response.body) else {
                logger.error(
                    "s3 answer malformed", metadata: ["s3.operation": "CreateMultipartUpload", "s3.key": "\(key)"])
                throw CoreStoreError(.objectStoreUnavailable)
            }
            return uploadID
        }
    }

    /// Uploads one part from a file range with its own `Content-MD5`.
    public func uploadPart(
        key: ObjectKey, uploadID: String, partNumber: Int, fromFile path: String, offset: Int64, length: Int64,
        md5: ContentDigest
    ) async throws -> CompletedPart {
        let request = builder.uploadPart(key: key, uploadID: uploadID, partNumber: partNumber, length: length, md5: md5)
        return try await retry.run(operation: "UploadPart", logger: logger) { _ in
            let response = try await execute(
                "UploadPart", key: key, request, body: .file(path: path, offset: offset, length: length))
            guard let etag = response.headers["etag"].map(S3XML.unquote), !etag.isEmpty else {
                logger.error("s3 answer malformed", metadata: ["s3.operation": "UploadPart", "s3.key": "\(key)"])
                throw CoreStoreError(.objectStoreUnavailable)
            }
            return CompletedPart(partNumber: partNumber, etag: etag)
        }
    }

    /// Completes the upload. An `<Error>` inside a 200 answer is an error; a retry that finds the
    /// upload gone checks whether the object exists (the earlier attempt may have completed it).
    public func completeMultipartUpload(key: ObjectKey, uploadID: String, parts: [CompletedPart]) async throws {
        let body = S3RequestBuilder.completeMultipartUploadBody(parts: parts)
        let request = builder.completeMultipartUpload(key: key, uploadID: uploadID, body: body)
        try await retry.run(operation: "CompleteMultipartUpload", logger: logger) { attempt in
            let response = try await execute("CompleteMultipartUpload", key: key, request, body: .bytes(body)) {
                attempt > 1 && $0.isNoSuchUpload
            }
            if !(200..<300).contains(response.status) {
                // A previous attempt may have succeeded with its answer lost.
                do {
                    _ = try await execute("HeadObject", key: key, builder.headObject(key: key))
                    return
                } catch let error as CoreStoreError where error.code == .objectNotFound {
                    throw CoreStoreError(.objectStoreRejected)
                }
            }
            if S3XML.isError(response.body) {
                let failure = S3ErrorResponse(status: response.status, body: response.body, headers: response.headers)
                throw failure.coreStoreError(operation: "CompleteMultipartUpload", key: key.rawValue, logger: logger)
            }
        }
    }

    /// Aborts the upload; an unknown upload counts as aborted.
    public func abortMultipartUpload(key: ObjectKey, uploadID: String) async throws {
        let request = builder.abortMultipartUpload(key: key, uploadID: uploadID)
        _ = try await retry.run(operation: "AbortMultipartUpload", logger: logger) { _ in
            try await execute("AbortMultipartUpload", key: key, request) { $0.isNoSuchUpload || $0.status == 404 }
        }
    }

    /// Lists in-progress uploads under `prefix`, following `IsTruncated` pages.
    public func listMultipartUploads(prefix: String) async throws -> [PendingMultipartUpload] {
        var uploads: [PendingMultipartUpload] = []
        var keyMarker: String?
        var uploadIDMarker: String?
        for _ in 0..<10_000 {
            let request = builder.listMultipartUploads(
                prefix: prefix, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker)
            let response = try await retry.run(operation: "ListMultipartUploads", logger: logger) { _ in
                try await execute("ListMultipartUploads", key: nil, request)
            }
            let page = S3XML.multipartUploadPage(from: response.body)
            uploads += page.uploads.filter { $0.key.rawValue.hasPrefix(prefix) }
            guard page.isTruncated, page.nextKeyMarker != nil || page.nextUploadIDMarker != nil,
                page.nextKeyMarker != keyMarker || page.nextUploadIDMarker != uploadIDMarker
            else { break }
            keyMarker = page.nextKeyMarker
            uploadIDMarker = page.nextUploadIDMarker
        }
        return uploads
    }
}
