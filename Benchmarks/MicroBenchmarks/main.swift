// In-process micro-benchmarks of CPU-bound parts, each against a reference measured in the same run
// (docs/benchmarks.md, "Micro-benchmarks"). Build and run with `scripts/bench-micro` (release).
import CoreStore
import Crypto
import Foundation
import Logging
import NIOCore

/// Seconds of a duration.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The best of `rounds` timings of `body` (the least disturbed by the rest of the machine).
func best(rounds: Int = 5, _ body: () throws -> Void) rethrows -> Duration {
    var fastest = Duration.seconds(1_000_000)
    for _ in 0..<rounds { fastest = min(fastest, try ContinuousClock().measure(body)) }
    return fastest
}

/// A multipart body with one file part of `fileBytes` and an md5 part, cut in 64 KiB chunks.
func multipartChunks(boundary: String, fileBytes: Int, crlfText: Bool) -> [ByteBuffer] {
    var body = ByteBufferAllocator().buffer(capacity: fileBytes + 1024)
    body.writeString(
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n")
    if crlfText {  // a text file with CRLF line ends every 84 bytes: a CR per line for the search
        let line = String(repeating: "lorem ipsum ", count: 6) + "abcdefghij\r\n"
        for _ in 0..<(fileBytes / line.utf8.count) { body.writeString(line) }
        body.writeRepeatingByte(UInt8(ascii: "x"), count: fileBytes % line.utf8.count)
    } else {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<(fileBytes / 8) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            body.writeInteger(state)
        }
    }
    body.writeString("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"md5\"\r\n\r\n")
    body.writeString("0123456789abcdef0123456789abcdef\r\n--\(boundary)--\r\n")
    var chunks: [ByteBuffer] = []
    while let chunk = body.readSlice(length: min(64 * 1024, body.readableBytes)), chunk.readableBytes > 0 {
        chunks.append(chunk)
    }
    return chunks
}

/// Multipart parser MB/s against one-stream MD5 MB/s over the same chunks.
func multipartParser() throws {
    let fileBytes = 200 * 1024 * 1024
    for (boundary, crlfText) in [("------------------------d74496d66958873e", false), ("short-b", true)] {
        let chunks = multipartChunks(boundary: boundary, fileBytes: fileBytes, crlfText: crlfText)
        let megabytes = Double(chunks.reduce(0) { $0 + $1.readableBytes }) / 1_000_000
        var parsedBytes = 0
        let parser = try best {
            var reader = try FormUploadReader(contentType: "multipart/form-data; boundary=\(boundary)")
            parsedBytes = 0
            for chunk in chunks { try reader.feed(chunk) { parsedBytes += $0.readableBytes } }
            try reader.finish()
        }
        precondition(parsedBytes == fileBytes, "the parser lost bytes")
        let md5 = best {
            var hasher = MD5Hasher()
            for chunk in chunks { chunk.withUnsafeReadableBytes { hasher.update($0) } }
            _ = hasher.finalize()
        }
        let parserRate = megabytes / seconds(parser)
        let md5Rate = megabytes / seconds(md5)
        print(
            String(
                format: "multipart parser (boundary %d chars, %@): %.0f MB/s; MD5 on the same chunks %.0f MB/s; ratio %.2f×",
                boundary.utf8.count, crlfText ? "CRLF text" : "binary", parserRate, md5Rate, parserRate / md5Rate))
    }
}

/// HS256 token verification against one HMAC-SHA256 of the same token's signing input.
func hs256Verification() async throws {
    let secret = Array(repeating: UInt8(7), count: 32)
    let verifier = try HMACTokenVerifier(secret: secret, logger: Logger(label: "bench"))
    let token = HMACTokenVerifier.issue(
        userID: try UserID(validating: "alice"), ttl: 600, secret: secret, issuer: nil, now: Date())
    let rounds = 20_000
    var fastest = Duration.seconds(1_000)
    for _ in 0..<5 {
        let start = ContinuousClock.now
        for _ in 0..<rounds { _ = try await verifier.verify(bearerToken: token) }
        fastest = min(fastest, ContinuousClock.now - start)
    }
    let signingInput = token.utf8[..<token.utf8.lastIndex(of: UInt8(ascii: "."))!]
    let input = Array(signingInput)
    let key = SymmetricKey(data: secret)
    let hmac = best {
        for _ in 0..<rounds { _ = HMAC<SHA256>.authenticationCode(for: input, using: key) }
    }
    let perToken = seconds(fastest) / Double(rounds) * 1e6
    let perHMAC = seconds(hmac) / Double(rounds) * 1e6
    print(
        String(
            format: "HS256 verify: %.2f µs per token; one HMAC-SHA256 of its signing input: %.2f µs; ratio %.1f×",
            perToken, perHMAC, perToken / perHMAC))
}

/// 16 uploads' MD5s at once through the lane hasher (multi-buffer) against one stream of swift-crypto MD5.
func laneHasher() async {
    let streams = 16
    let chunk = ByteBuffer(repeating: 0x5A, count: 64 * 1024)
    let chunksPerStream = 512  // 32 MiB each
    var fastest = Duration.seconds(1_000)
    for _ in 0..<5 {
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<streams {
                group.addTask {
                    let stream = MD5Stream()
                    for _ in 0..<chunksPerStream { await stream.update(chunk) }
                    _ = await stream.finalize()
                }
            }
        }
        fastest = min(fastest, ContinuousClock.now - start)
    }
    let one = best {
        var hasher = MD5Hasher()
        for _ in 0..<chunksPerStream { chunk.withUnsafeReadableBytes { hasher.update($0) } }
        _ = hasher.finalize()
    }
    let megabytes = Double(chunk.readableBytes * chunksPerStream) / 1_000_000
    let lanes = Double(streams) * megabytes / seconds(fastest)
    let single = megabytes / seconds(one)
    print(
        String(
            format: "MD5 lane hasher, %d streams at once: %.0f MB/s in all; one stream of swift-crypto MD5: %.0f MB/s; ratio %.2f×",
            streams, lanes, single, lanes / single))
}

print("CPU kernels: \(SIMDKernels.summary)")
try multipartParser()
try await hs256Verification()
await laneHasher()
