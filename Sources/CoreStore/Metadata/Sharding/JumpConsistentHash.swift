/// Lamping and Veach's jump consistent hash ("A Fast, Minimal Memory, Consistent Hash Algorithm",
/// 2014): maps a 64-bit key to one of `buckets` buckets so that growing from N to N + 1 buckets
/// moves only about 1/(N + 1) of the keys, all of them into the new bucket.
public enum JumpConsistentHash {
    /// The bucket of `key` among `buckets` (the paper's reference implementation, bit for bit).
    /// - Parameters:
    ///   - key: A well-mixed 64-bit key (here XXH3-64 of a user id).
    ///   - buckets: The number of buckets, at least 1.
    /// - Returns: A bucket in `0 ..< buckets`.
    public static func bucket(for key: UInt64, buckets: Int) -> Int {
        precondition(buckets > 0, "jump hash needs at least one bucket")
        var key = key
        var bucket: Int64 = -1
        var next: Int64 = 0
        while next < Int64(buckets) {
            bucket = next
            key = key &* 2_862_933_555_777_941_757 &+ 1
            next = Int64(Double(bucket + 1) * (Double(Int64(1) << 31) / Double((key >> 33) + 1)))
        }
        return Int(bucket)
    }
}
