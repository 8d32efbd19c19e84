import CoreStore
import Testing

/// Expected values computed independently with the paper's reference implementation in Python
/// (and the PyPI `xxhash` 3.5.0 package for XXH3-64):
///
/// ```python
/// def jump(key, n):
///     b, j = -1, 0
///     while j < n:
///         b = j
///         key = (key * 2862933555777941757 + 1) & 0xFFFFFFFFFFFFFFFF
///         j = int(float(b + 1) * (float(1 << 31) / float((key >> 33) + 1)))
///     return b
/// [jump(k, n) for n in [1, 2, 3, 5, 10, 100, 1000, 2**31 - 1]]
/// xxhash.xxh3_64_intdigest("alice".encode()); [jump(h, n) for n in [1, 2, 3, 4, 8]]
/// ```
@Suite("JumpHash: jump consistent hash and the user → shard map")
struct JumpHashTests {
    static let bucketCounts = [1, 2, 3, 5, 10, 100, 1000, Int(Int32.max)]

    @Test(
        "matches the reference implementation",
        arguments: [
            (UInt64(0), [0, 0, 0, 0, 0, 0, 0, 0]),
            (1, [0, 0, 0, 0, 6, 55, 549, 262_355_607]),
            (2, [0, 0, 0, 3, 6, 62, 338, 736_532_115]),
            (0xDEAD_BEEF, [0, 1, 2, 3, 5, 87, 285, 1_452_406_526]),
            (123_456_789, [0, 0, 0, 0, 7, 34, 294, 1_234_790_967]),
            (UInt64.max, [0, 1, 2, 2, 9, 92, 313, 699_554_662]),
        ] as [(UInt64, [Int])])
    func referenceValues(key: UInt64, expected: [Int]) {
        #expect(Self.bucketCounts.map { JumpConsistentHash.bucket(for: key, buckets: $0) } == expected)
    }

    @Test(
        "user ids map to the shards the reference computes (XXH3-64 of the UTF-8 bytes)",
        arguments: [
            ("alice", UInt64(5_593_767_425_381_308_080), [0, 1, 1, 1, 1]),
            ("bob", 1_442_208_253_991_303_397, [0, 0, 0, 0, 5]),
            ("user 'quoted' \u{e9}", 15_431_070_858_302_904_025, [0, 0, 0, 0, 7]),
            ("e\u{301}", 15_855_950_502_613_779_880, [0, 0, 0, 0, 0]),
            ("\u{e9}", 17_839_895_020_865_391_795, [0, 0, 0, 3, 3]),
            ("12345678-aaaa", 10_092_548_273_184_460_604, [0, 0, 0, 0, 7]),
        ] as [(String, UInt64, [Int])])
    func userShards(user: String, key: UInt64, expected: [Int]) throws {
        let userID = try UserID(validating: user)
        #expect(UserShardMap.key(for: userID) == key)
        #expect([1, 2, 3, 4, 8].map { UserShardMap(shardCount: $0).shard(for: userID) } == expected)
    }

    @Test("canonically equivalent ids are different users (bytes, not String ==)")
    func bytesNotStrings() throws {
        let composed = try UserID(validating: "\u{e9}")
        let decomposed = try UserID(validating: "e\u{301}")
        #expect(composed.rawValue == decomposed.rawValue, "Swift folds them")
        #expect(UserShardMap.key(for: composed) != UserShardMap.key(for: decomposed))
        #expect(UserShardMap(shardCount: 4).shard(for: composed) != UserShardMap(shardCount: 4).shard(for: decomposed))
    }

    @Test("adding a shard moves about 1/(N+1) of the keys, all into the new shard; results are stable")
    func growthMovesFewKeys() {
        for shards in [1, 2, 4, 7] {
            var moved = 0
            let keys = (0..<20_000).map { XXH3.hash64(Array("user-\($0)".utf8)) }
            for key in keys {
                let before = JumpConsistentHash.bucket(for: key, buckets: shards)
                let after = JumpConsistentHash.bucket(for: key, buckets: shards + 1)
                #expect(before == JumpConsistentHash.bucket(for: key, buckets: shards), "stable")
                if before != after {
                    moved += 1
                    #expect(after == shards, "a moved key goes to the new shard")
                }
            }
            let expected = Double(keys.count) / Double(shards + 1)
            #expect(
                abs(Double(moved) - expected) < expected * 0.1, "\(moved) of \(keys.count) moved, ~\(expected) expected"
            )
        }
    }
}
