import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension UDSClient {
    /// Downloads `name` to the file `path`, resuming an earlier partial download of the same path.
    ///
    /// The bytes stream into `<path>.part`. When that file and its recorded `ETag` exist from an
    /// earlier, interrupted call, only the rest is requested (`Range: bytes=<size>-` with
    /// `If-Range: <ETag>`); if the file was replaced since, the node answers the whole new version
    /// and the download starts over. The MD5 of the whole file is checked against the `ETag` before
    /// the partial file is renamed to `path`. A cancelled or cut-off download keeps `<path>.part`.
    /// - Parameters:
    ///   - name: The file name.
    ///   - path: The destination file (replaced when it exists).
    ///   - progress: Called after every chunk.
    /// - Returns: What was fetched and verified.
    /// - Throws: ``ClientError`` (`FILE_NOT_FOUND` 404, ``ClientError/checksumMismatch(name:expected:actual:)``,
    ///   ``ClientError/transport(_:)`` when the connection ended early), `CancellationError`.
    public func download(name: String, to path: String, progress: ProgressHandler? = nil) async throws -> DownloadResult
    {
        let partial = PartialDownload(destination: path)
        var resumeFrom = partial.existing()
        if resumeFrom == nil { partial.discard() }
        while true {
            let previous = resumeFrom
            let response = try await send(expecting: [200, 206, 416]) {
                var request = HTTPClientRequest(
                    node: .download, path: filePath(name), method: .GET, configuration: configuration)
                if let previous {
                    request.headers.add(name: "Range", value: "bytes=\(previous.size)-")
                    request.headers.add(name: "If-Range", value: previous.etag)
                }
                return request
            }
            if response.status.code == 416 {
                // The partial file is not shorter than the version: start over without a range.
                _ = try await Self.collect(response.body, limit: 64 * 1024)
                guard resumeFrom != nil else { throw ClientError.invalidResponse("416 without a Range") }
                partial.discard()
                resumeFrom = nil
                continue
            }
            return try await receive(
                name: name, response: response, partial: partial, resumed: previous, progress: progress)
        }
    }

    /// Streams a `200`/`206` body into the partial file, verifies it, and moves it into place.
    private func receive(
        name: String, response: HTTPClientResponse, partial: PartialDownload, resumed: (size: Int64, etag: String)?,
        progress: ProgressHandler?
    ) async throws -> DownloadResult {
        guard let etag = response.headers.first(name: "ETag") else {
            throw ClientError.invalidResponse("download without an ETag")
        }
        var hasher = Insecure.MD5()
        let handle: FileHandle
        var completed: Int64
        let total: Int64
        if response.status.code == 206, let resumed {
            guard let range = response.headers.first(name: "Content-Range").flatMap(ContentRange.init),
                range.start == resumed.size
            else { throw ClientError.invalidResponse("206 without the requested Content-Range") }
            try LocalFile.hash(partial.partPath, length: resumed.size, into: &hasher)
            handle = try partial.open()
            completed = resumed.size
            total = range.total
        } else {
            handle = try partial.restart(etag: etag)
            completed = 0
            guard let length = response.headers.first(name: "Content-Length").flatMap(Int64.init) else {
                throw ClientError.invalidResponse("200 without Content-Length")
            }
            total = length
        }
        defer { try? handle.close() }
        let pacer = TransferPacer(bytesPerSecond: configuration.maxBytesPerSecond)
        var transferred: Int64 = 0
        do {
            for try await chunk in response.body {
                let data = Data(chunk.readableBytesView)
                do { try handle.write(contentsOf: data) } catch {
                    throw ClientError.localFile(
                        path: partial.partPath, reason: "write failed: \(error.localizedDescription)")
                }
                hasher.update(data: data)
                transferred += Int64(data.count)
                completed += Int64(data.count)
                progress?(
                    TransferProgress(
                        name: name, completedBytes: completed, totalBytes: total, transferredBytes: transferred))
                try await pacer.pace(transferred: transferred)
            }
        } catch {
            throw Self.translate(error)
        }
        guard completed == total else {
            throw ClientError.transport(
                "the connection ended after \(completed) of \(total) bytes (the partial file is kept)")
        }
        let actual = LocalFile.hex(hasher.finalize())
        let expected = etag.replacingOccurrences(of: "W/", with: "").trimmingCharacters(
            in: CharacterSet(charactersIn: "\""))
        guard actual == expected.lowercased() else {
            partial.discard()
            throw ClientError.checksumMismatch(name: name, expected: expected, actual: actual)
        }
        try handle.close()
        try partial.finish()
        return DownloadResult(
            name: name, path: partial.destination, size: total, md5: actual, transferredBytes: transferred,
            resumed: response.status.code == 206)
    }
}

/// A `Content-Range: bytes a-b/size` value.
struct ContentRange {
    let start: Int64
    let total: Int64

    init?(_ value: String) {
        guard value.hasPrefix("bytes "), let slash = value.lastIndex(of: "/"),
            let dash = value.firstIndex(of: "-"),
            let start = Int64(value[value.index(value.startIndex, offsetBy: 6)..<dash]),
            let total = Int64(value[value.index(after: slash)...])
        else { return nil }
        self.start = start
        self.total = total
    }
}
