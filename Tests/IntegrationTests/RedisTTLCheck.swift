/// Whether a Redis `TTL` answer read now is `ttlSeconds`, set at or after `since`: at most the
/// whole seconds elapsed since then (rounded up) below it, so a loaded machine's delay between the
/// write and the `TTL` read is not taken for a wrong TTL, while a different TTL still is.
func isFreshTTL(_ ttl: some BinaryInteger, of ttlSeconds: Int, setAfter since: ContinuousClock.Instant) -> Bool {
    let elapsed = Int((ContinuousClock.now - since).components.seconds) + 1
    return (ttlSeconds - elapsed...ttlSeconds).contains(Int(ttl))
}
