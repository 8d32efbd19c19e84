public import CoreStore
import Foundation
import Testing

extension ResumableStoreContract {
    /// The tail journal's checks (docs/decisions/0022): a row update adopts only an unclaimed entry
    /// and journals the tail it retires, a lost update changes neither, removal journals the row's
    /// tail, claims are per upload and owner or by age, and removed entries are gone.
    public static func runTailJournal(_ store: any ResumableUploadStore) async throws {
        let userID = try UserID(validating: "tails-\(UInt32.random(in: 0 ... .max))")
        let mallory = try UserID(validating: "mallory-\(UInt32.random(in: 0 ... .max))")
        let now = Date()
        let fileID = FileID.generate()
        let upload = ResumableUpload(
            id: ResumableUpload.newID(), userID: userID, fileName: try FileName(validating: "tail.bin"),
            length: 12_000_000, expectedMD5: MD5Hasher.digest([4, 5, 6]), contentType: "application/octet-stream",
            fileID: fileID, objectKey: ObjectKey(prefix: "files", userID: userID, fileID: fileID),
            partBytes: 5 << 20, createdAt: now, expiresAt: now.addingTimeInterval(3600))
        try await store.createUpload(upload)
        func entry(_ name: String, age: TimeInterval = 0, uploadID: String? = nil) -> ResumablePendingTail {
            ResumablePendingTail(
                userID: userID, uploadID: uploadID ?? upload.id, tailKey: "\(upload.objectKey).tail.\(name)",
                createdAt: now.addingTimeInterval(-age))
        }
        let (first, second, third) = (entry("a"), entry("b"), entry("c"))
        let orphan = entry("orphan", age: 7200, uploadID: ResumableUpload.newID())
        for tail in [first, second, third, orphan] { try await store.recordPendingTail(tail) }
        try await store.recordPendingTail(first)  // a second record changes nothing

        // The update naming `first` adopts its entry; a tail never journaled cannot be adopted.
        var next = upload
        next.offset = 1000
        next.tailKey = "\(upload.objectKey).tail.never-journaled"
        #expect(try await store.advanceUpload(next, from: 0, replacingTail: nil) == false)
        next.tailKey = first.tailKey
        #expect(try await store.advanceUpload(next, from: 0, replacingTail: nil))
        #expect(try await store.upload(id: upload.id, userID: userID) == next)
        // A loser of the offset check changes neither the row nor the journal.
        var loser = upload
        loser.offset = 500
        loser.tailKey = second.tailKey
        #expect(try await store.advanceUpload(loser, from: 0, replacingTail: nil) == false)
        #expect(try await store.upload(id: upload.id, userID: userID) == next)

        // Only entries older than the cutoff are claimed by age; the orphan is one of them.
        let stale = try await store.claimPendingTails(recordedBefore: now.addingTimeInterval(-3600), limit: 1000)
        #expect(stale.map(\.tailKey).contains(orphan.tailKey))
        #expect(!stale.contains { $0.uploadID == upload.id })
        #expect(stale.first { $0.tailKey == orphan.tailKey }?.userID == userID)

        // Adopting `second` retires `first` into the journal.
        var later = next
        later.offset = 2000
        later.tailKey = second.tailKey
        #expect(try await store.advanceUpload(later, from: 1000, replacingTail: first.tailKey))
        #expect(try await store.claimPendingTails(uploadID: upload.id, userID: mallory).isEmpty)
        let claimed = try await store.claimPendingTails(uploadID: upload.id, userID: userID)
        #expect(Set(claimed.map(\.tailKey)) == [first.tailKey, third.tailKey])
        // A claimed entry can no longer be adopted.
        var blocked = later
        blocked.offset = 3000
        blocked.tailKey = third.tailKey
        #expect(try await store.advanceUpload(blocked, from: 2000, replacingTail: second.tailKey) == false)
        #expect(try await store.upload(id: upload.id, userID: userID) == later)

        for tail in claimed + [orphan] {
            try await store.removePendingTail(key: tail.tailKey, uploadID: tail.uploadID, userID: userID)
        }
        #expect(try await store.claimPendingTails(uploadID: upload.id, userID: userID).isEmpty)
        // Removing the row journals the tail it named.
        #expect(try await store.removeUpload(id: upload.id, userID: userID) == later)
        let retired = try await store.claimPendingTails(uploadID: upload.id, userID: userID)
        #expect(retired.map(\.tailKey) == [second.tailKey])
        try await store.removePendingTail(key: second.tailKey, uploadID: upload.id, userID: userID)
        #expect(try await store.claimPendingTails(uploadID: upload.id, userID: userID).isEmpty)
        #expect(try await store.claimPendingTails(uploadID: orphan.uploadID, userID: userID).isEmpty)
    }
}
