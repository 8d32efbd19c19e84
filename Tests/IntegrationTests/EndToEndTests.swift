import CoreStore
import Foundation
import TestSupport
import Testing

/// Both real binaries, against a real SeaweedFS (SigV4 verified) and a real redis-server,
/// driven over HTTP with curl exactly as the README shows.
@Suite("end to end: real binaries, SeaweedFS, Redis", .enabled(if: IntegrationEnvironment.isAvailable))
struct EndToEndTests {
    struct Deployment {
        let upload: NodeProcess
        let download: NodeProcess
        let token: String
        let directory: String
        let store: S3ObjectStore
        let prefix: String
        /// The flags every node of this deployment was started with.
        let arguments: [String]
    }

    static func deploy(label: String, extra: [String] = []) async throws -> Deployment {
        let weed = try await WeedServer.shared()
        let redis = try await RedisServer.shared()
        let directory = IntegrationEnvironment.temporaryDirectory(label)
        let prefix = "e2e-\(label)-\(UUID().uuidString.prefix(6).lowercased())"
        let common =
            [
                "--data-dir", directory, "--s3-endpoint", weed.endpoint, "--s3-bucket", "e2e", "--s3-create-bucket",
                "--s3-access-key", weed.accessKey, "--s3-secret-key", weed.secretKey, "--redis-url", redis.url,
                "--key-prefix", prefix, "--log-level", "warning",
            ] + extra
        let upload = try await NodeProcess.start("upload-node", arguments: common)
        let download = try await NodeProcess.start("download-node", arguments: common)
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)
        let store = try await weed.makeStore(bucket: "e2e")
        return Deployment(
            upload: upload, download: download, token: token, directory: directory, store: store, prefix: prefix,
            arguments: common)
    }

    static func file(_ bytes: [UInt8], in directory: String, name: String) -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test("5 MB multipart upload with md5 → 200; download byte-identical; list; wrong md5 → 409 and nothing stored")
    func seedContract() async throws {
        let node = try await Self.deploy(label: "seed")
        let bytes = MultipartBody.randomBytes(5_000_000, seed: 11)
        let path = Self.file(bytes, in: node.directory, name: "five.bin")
        let md5 = MD5Hasher.digest(bytes)
        let auth = "Authorization: Bearer \(node.token)"

        let upload = try await CurlCommand.run([
            "-H", auth, "-F", "md5=\(md5.hex)", "-F", "file=@\(path);filename=five.bin",
            "\(node.upload.baseURL)/upload_download_service/upload",
        ])
        #expect(upload.status == 200, "\(upload.body)")
        #expect(upload.body.contains("\"md5\":\"\(md5.hex)\""))

        let downloaded = node.directory + "/five.out"
        let download = try await CurlCommand.run(
            ["-H", auth, "\(node.download.baseURL)/upload_download_service/five.bin/alice"], output: downloaded)
        #expect(download.status == 200)
        #expect(FileManager.default.contents(atPath: downloaded) == Data(bytes))

        let list = try await CurlCommand.run([
            "-H", auth, "\(node.download.baseURL)/upload_download_service/users/alice/files",
        ])
        #expect(list.status == 200)
        #expect(list.body.contains("\"name\":\"five.bin\""))

        let wrong = try await CurlCommand.run([
            "-H", auth, "-F", "md5=\(MD5Hasher.digest([0]).hex)", "-F", "file=@\(path);filename=wrong.bin",
            "\(node.upload.baseURL)/upload_download_service/upload",
        ])
        #expect(wrong.status == 409)
        #expect(wrong.body.contains("checksum failed - please attempt reuploading"))
        let missing = try await CurlCommand.run([
            "-H", auth, "\(node.download.baseURL)/upload_download_service/wrong.bin/alice",
        ])
        #expect(missing.status == 404)
        let keys = try await node.store.listMultipartUploads(prefix: node.prefix)
        #expect(keys.isEmpty)
    }

    @Test("40 MB raw PUT goes up as an S3 multipart upload; downloads identical; last-1-MiB Range; delete")
    func largeFile() async throws {
        let node = try await Self.deploy(label: "large")
        let bytes = MultipartBody.randomBytes(40 * 1024 * 1024 + 123, seed: 5)
        let path = Self.file(bytes, in: node.directory, name: "large.bin")
        let md5 = MD5Hasher.digest(bytes)
        let auth = "Authorization: Bearer \(node.token)"
        let url = "/upload_download_service/large.bin/alice"

        let upload = try await CurlCommand.run(
            ["-H", auth, "-H", "Content-MD5: \(md5.base64)", "-T", path, node.upload.baseURL + url], timeout: 120)
        #expect(upload.status == 200, "\(upload.body)")

        let tail = try await CurlCommand.run(["-H", auth, "-H", "Range: bytes=-1048576", node.download.baseURL + url])
        #expect(tail.status == 206)
        #expect(
            tail.headers.lowercased().contains(
                "content-range: bytes \(bytes.count - 1_048_576)-\(bytes.count - 1)/\(bytes.count)"))

        let downloaded = node.directory + "/large.out"
        let download = try await CurlCommand.run(
            ["-H", auth, node.download.baseURL + url], output: downloaded, timeout: 120)
        #expect(download.status == 200)
        #expect(FileManager.default.contents(atPath: downloaded) == Data(bytes))

        let delete = try await CurlCommand.run(["-X", "DELETE", "-H", auth, node.upload.baseURL + url])
        #expect(delete.status == 204)
        let gone = try await CurlCommand.run(["-I", "-H", auth, node.download.baseURL + url])
        #expect(gone.status == 404)  // read-after-write: no cache answers for a deleted name
        #expect(try await node.store.listMultipartUploads(prefix: node.prefix).isEmpty)
    }
}

@Suite("metrics scrape after known traffic (real binaries)", .enabled(if: IntegrationEnvironment.isAvailable))
struct MetricsScrapeTests {
    @Test("/metrics counts requests, outcomes, bytes, cache tiers and S3 operations")
    func scrape() async throws {
        let node = try await EndToEndTests.deploy(label: "metrics")
        let bytes = MultipartBody.randomBytes(1_000_000, seed: 3)
        let path = EndToEndTests.file(bytes, in: node.directory, name: "m.bin")
        let auth = "Authorization: Bearer \(node.token)"
        let md5 = MD5Hasher.digest(bytes)
        for (name, digest) in [("m.bin", md5.hex), ("bad.bin", MD5Hasher.digest([1]).hex)] {
            _ = try await CurlCommand.run([
                "-H", auth, "-F", "md5=\(digest)", "-F", "file=@\(path);filename=\(name)",
                "\(node.upload.baseURL)/upload_download_service/upload",
            ])
        }
        for _ in 0..<2 {
            _ = try await CurlCommand.run(["-H", auth, "\(node.download.baseURL)/upload_download_service/m.bin/alice"])
        }
        let upload = try await CurlCommand.run(["\(node.upload.baseURL)/metrics"]).body
        #expect(upload.contains(#"uds_upload_outcomes_total{outcome="ok"} 1"#))
        #expect(upload.contains(#"uds_upload_outcomes_total{outcome="checksum"} 1"#))
        #expect(
            upload.contains(#"uds_http_errors_total{code="CHECKSUM_MISMATCH"} 1"#),
            "every error answer is counted by its code")
        #expect(
            upload.contains(#"uds_http_requests_total{route="/upload_download_service/upload",status_class="2xx"} 1"#))
        #expect(
            upload.contains(#"uds_http_requests_total{route="/upload_download_service/upload",status_class="4xx"} 1"#))
        #expect(upload.contains(#"uds_transfer_bytes_total{direction="in"} 1000000"#))
        #expect(upload.contains(#"uds_s3_request_duration_seconds_count{operation="PutObject"}"#))
        #expect(upload.contains("uds_transfers_in_flight 0"))
        let hashedBlocks = ["vector", "single"].compactMap {
            Self.value(of: "uds_md5_blocks_total{path=\"\($0)\"}", in: upload)
        }
        #expect(
            hashedBlocks.count == 2 && hashedBlocks.reduce(0, +) == 2 * (1_000_000 / 64),
            "every whole block of both uploads went through the MD5 lane hasher: \(hashedBlocks)")
        let download = try await CurlCommand.run(["\(node.download.baseURL)/metrics"]).body
        #expect(download.contains(#"uds_transfer_bytes_total{direction="out"} 2000000"#))
        #expect(
            download.contains(#"uds_cache_requests_total{result="hit",tier="disk"} 1"#)
                || download.contains(#"uds_cache_requests_total{tier="disk",result="hit"} 1"#))
        #expect(download.contains("uds_http_request_duration_seconds_bucket"))
        #expect(
            download.contains(#"uds_cache_requests_total{tier="redis",result="hit"} 1"#),
            "the upload node pushed the small object into Redis, so the first download was warm")
    }

    /// The value of the sample named `series` (name and labels, as rendered) in a text exposition.
    static func value(of series: String, in exposition: String) -> Int? {
        exposition.split(separator: "\n").lazy.compactMap { line -> Int? in
            guard line.hasPrefix(series + " ") else { return nil }
            return Int(line.dropFirst(series.count + 1))
        }.first
    }
}
