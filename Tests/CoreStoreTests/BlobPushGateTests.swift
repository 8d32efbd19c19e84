import CoreStore
import Testing

@Suite("BlobPushGate")
struct BlobPushGateTests {
    @Test("pushes beyond the limit are skipped while the limit is in use, and run again once it frees")
    func boundsConcurrentPushes() async {
        let gate = BlobPushGate(limit: 2)
        let (releaseFirst, releaseFirstSource) = AsyncStream<Void>.makeStream()
        let (releaseSecond, releaseSecondSource) = AsyncStream<Void>.makeStream()
        let (entered, enteredSource) = AsyncStream<Void>.makeStream()
        async let first = gate.ifAvailable {
            enteredSource.yield()
            for await _ in releaseFirst { break }
        }
        async let second = gate.ifAvailable {
            enteredSource.yield()
            for await _ in releaseSecond { break }
        }
        var arrivals = entered.makeAsyncIterator()
        _ = await arrivals.next()
        _ = await arrivals.next()
        let third = await gate.ifAvailable {}
        #expect(!third, "a third push while two run is skipped")
        releaseFirstSource.finish()
        releaseSecondSource.finish()
        let ran = await (first, second)
        #expect(ran.0 && ran.1)
        let again = await gate.ifAvailable {}
        #expect(again, "a push runs again once the others ended")
    }
}
