import CoreStore
import Foundation
import Logging
import NIOCore
import Synchronization
import TestSupport
import Testing

private func recordingLogger() -> (Logger, RecordingLogHandler) {
    RecordingLogHandler.logger(label: "s3-test")
}

private func bucketName(_ label: String) -> String {
    "\(label)-\(UUID().uuidString.lowercased().prefix(8))"
}

@Suite("S3ObjectStore against SeaweedFS", .enabled(if: IntegrationEnvironment.isAvailable))
struct S3ObjectStoreIntegrationTests {
    @Test func passesTheObjectStoreContract() async throws {
        let weed = try await WeedServer.shared()
        let store = try await weed.makeStore(bucket: bucketName("contract"))
        let scratch = IntegrationEnvironment.temporaryDirectory("s3-contract")
        try await ObjectStoreContract.run(store, scratchDirectory: scratch)
    }

    @Test func passesTheMultipartContract() async throws {
        let weed = try await WeedServer.shared()
        let store = try await weed.makeStore(bucket: bucketName("multipart"))
        let scratch = IntegrationEnvironment.temporaryDirectory("s3-multipart")
        try await ObjectStoreContract.runMultipart(store, scratchDirectory: scratch)
    }

    @Test func ensureBucketTwiceIsFine() async throws {
        let weed = try await WeedServer.shared()
        let store = try await weed.makeStore(bucket: bucketName("twice"))
        try await store.ensureBucket()
        try await store.checkReachable()
    }

    @Test func missingBucketIsRejected() async throws {
        let weed = try await WeedServer.shared()
        let store = S3ObjectStore(
            configuration: weed.configuration(bucket: bucketName("absent")), pool: WeedServer.testPool,
            logger: WeedServer.quietLogger)
        await #expect(throws: CoreStoreError(.objectStoreRejected)) { try await store.checkReachable() }
    }

    @Test func wrongSecretIsRejectedBySignatureCheck() async throws {
        let weed = try await WeedServer.shared()
        let bucket = bucketName("secret")
        _ = try await weed.makeStore(bucket: bucket)
        let (logger, records) = recordingLogger()
        let store = S3ObjectStore(
            configuration: weed.configuration(bucket: bucket, secretKey: "not-the-secret"), pool: WeedServer.testPool,
            logger: logger)
        let scratch = IntegrationEnvironment.temporaryDirectory("s3-secret")
        let source = try ObjectStoreContract.writeFile(Array("hello".utf8), in: scratch, name: "hello.txt")
        await #expect(throws: CoreStoreError(.objectStoreRejected)) {
            try await store.putObject(
                key: ObjectKey(rawValue: "x/hello"), fromFile: source, size: 5,
                md5: MD5Hasher.digest(Array("hello".utf8)), contentType: "text/plain")
        }
        #expect(records.values(of: "s3.code").contains("SignatureDoesNotMatch"), "\(records.values(of: "s3.code"))")
        await #expect(throws: CoreStoreError(.objectStoreRejected)) {
            _ = try await store.getObject(key: ObjectKey(rawValue: "x/hello"), range: nil, toFile: scratch + "/out")
        }
    }

    @Test func closedPortIsUnavailableAfterRetries() async throws {
        let (logger, records) = recordingLogger()
        let configuration = S3Configuration(
            endpoint: "http://127.0.0.1:\(FreePort.next())", bucket: "nothing",
            credentials: .static(accessKey: "a", secretKey: "b"), maxAttempts: 3, baseBackoff: 0.01,
            connectTimeout: 1)
        let store = S3ObjectStore(configuration: configuration, pool: WeedServer.testPool, logger: logger)
        let started = ContinuousClock.now
        await #expect(throws: CoreStoreError(.objectStoreUnavailable)) {
            _ = try await store.headObject(key: ObjectKey(rawValue: "k"))
        }
        #expect(records.count(of: "curl transfer failed") == 3)
        #expect(ContinuousClock.now - started < .seconds(20))
        await #expect(throws: CoreStoreError(.objectStoreUnavailable)) { try await store.checkReachable() }
    }

    @Test func killedServerIsUnavailable() async throws {
        let weed = try await WeedServer.start()
        let store = try await weed.makeStore(bucket: "killed")
        try await store.checkReachable()
        await weed.kill()
        await #expect(throws: CoreStoreError(.objectStoreUnavailable)) {
            _ = try await store.headObject(key: ObjectKey(rawValue: "k"))
        }
        await #expect(throws: CoreStoreError(.objectStoreUnavailable)) { try await store.checkReachable() }
    }

    @Test func slowStreamConsumerKeepsChunksBoundedAndGetsEveryByte() async throws {
        let weed = try await WeedServer.shared()
        let store = try await weed.makeStore(bucket: bucketName("stream"))
        let scratch = IntegrationEnvironment.temporaryDirectory("s3-stream")
        let data = ObjectStoreContract.randomBytes(3 * 1024 * 1024 + 7)
        let source = try ObjectStoreContract.writeFile(data, in: scratch, name: "src")
        let key = ObjectKey(rawValue: "stream/slow")
        try await store.putObject(
            key: key, fromFile: source, size: Int64(data.count), md5: MD5Hasher.digest(data), contentType: "x/y")
        let received = Mutex<(bytes: [UInt8], largest: Int)>(([], 0))
        try await store.streamObject(key: key, range: nil) { buffer in
            try await Task.sleep(for: .milliseconds(20))
            received.withLock {
                $0.bytes += buffer.readableBytesView
                $0.largest = max($0.largest, buffer.readableBytes)
            }
        }
        #expect(received.withLock { $0.bytes } == data)
        #expect(received.withLock { $0.largest } <= 512 * 1024)
    }

    @Test func manyConcurrentRequestsThroughASmallLimit() async throws {
        let weed = try await WeedServer.shared()
        let bucket = bucketName("limit")
        _ = try await weed.makeStore(bucket: bucket)
        var configuration = weed.configuration(bucket: bucket)
        configuration.maxConcurrentRequests = 2
        let store = S3ObjectStore(
            configuration: configuration, pool: WeedServer.testPool, logger: WeedServer.quietLogger)
        let scratch = IntegrationEnvironment.temporaryDirectory("s3-limit")
        let data = Array("small object".utf8)
        let source = try ObjectStoreContract.writeFile(data, in: scratch, name: "src")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let key = ObjectKey(rawValue: "limit/\(index)")
                    try await store.putObject(
                        key: key, fromFile: source, size: Int64(data.count), md5: MD5Hasher.digest(data),
                        contentType: "text/plain")
                    #expect(try await store.headObject(key: key).size == Int64(data.count))
                }
            }
            try await group.waitForAll()
        }
    }
}
