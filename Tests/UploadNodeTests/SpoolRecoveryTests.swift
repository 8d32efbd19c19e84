import CoreStore
import Foundation
import Logging
import TestSupport
import Testing

@testable import UploadNode

@Suite("spool recovery: journaled objects without a committed row are deleted")
struct SpoolRecoveryTests {
    struct Setup {
        let spool: SpoolDirectory
        let store: FileSystemObjectStore
        let metadata: FaultyMetadataStore
        let logger = Logger(label: "spool-recovery-test")
    }

    static func setUp() async throws -> Setup {
        let base = IntegrationEnvironment.temporaryDirectory("spool-recovery")
        let logger = Logger(label: "spool-recovery-test")
        let store = FileSystemObjectStore(rootDirectory: base + "/objects", pool: TestNode.pool, logger: logger)
        let sqlite = try await SQLiteMetadataStore(
            path: base + "/metadata.sqlite3", pool: TestNode.pool, logger: logger)
        return Setup(
            spool: try SpoolDirectory(path: base + "/spool"), store: store, metadata: FaultyMetadataStore(sqlite))
    }

    /// Places an object and leaves the journal an upload killed before its commit leaves.
    static func crashedUpload(_ setup: Setup, name: String) async throws -> FileRecord {
        let user = try UserID(validating: "alice")
        let fileID = FileID.generate()
        let key = ObjectKey(prefix: "files", userID: user, fileID: fileID)
        let bytes = Array("orphan candidate \(name)".utf8)
        let file = IntegrationEnvironment.temporaryDirectory("body") + "/body"
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        let md5 = MD5Hasher.digest(bytes)
        try await setup.store.putObject(
            key: key, fromFile: file, size: Int64(bytes.count), md5: md5, contentType: "application/octet-stream")
        let names = setup.spool.newUpload()
        try setup.spool.writeJournal(
            UploadJournal(key: key, uploadID: nil, userID: user.rawValue, fileName: name), of: names)
        _ = FileManager.default.createFile(atPath: names.data, contents: Data(bytes))
        return FileRecord(
            fileID: fileID, userID: user, fileName: try FileName(validating: name), objectKey: key,
            size: Int64(bytes.count), md5: md5, contentType: "application/octet-stream", createdAt: Date())
    }

    static func exists(_ setup: Setup, _ record: FileRecord) async -> Bool {
        (try? await setup.store.headObject(key: record.objectKey)) != nil
    }

    @Test(
        "start-up sets journals aside and deletes the rest; resolving deletes the uncommitted object, keeps the committed one"
    )
    func startUpDeletesUncommitted() async throws {
        let setup = try await Self.setUp()
        let orphan = try await Self.crashedUpload(setup, name: "never-committed.bin")
        let committed = try await Self.crashedUpload(setup, name: "committed.bin")
        _ = try await setup.metadata.commit(committed)
        setup.spool.setAsideLeftovers(logger: setup.logger)
        let aside = try FileManager.default.contentsOfDirectory(atPath: setup.spool.path)
        #expect(aside.count == 2 && aside.allSatisfy { $0.hasSuffix(".unresolved") }, "\(aside)")
        await setup.spool.resolveLeftovers(
            objectStore: setup.store, metadata: setup.metadata, graceSeconds: 0, logger: setup.logger)
        #expect(!(await Self.exists(setup, orphan)))
        #expect(await Self.exists(setup, committed))
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.spool.path).isEmpty)
    }

    @Test(
        "with the metadata store down nothing is deleted and the journal stays; a later pass deletes the orphan once it is back"
    )
    func unresolvedUntilMetadataIsBack() async throws {
        let setup = try await Self.setUp()
        let orphan = try await Self.crashedUpload(setup, name: "later.bin")
        setup.metadata.setDown(true)
        setup.spool.setAsideLeftovers(logger: setup.logger)
        await setup.spool.resolveLeftovers(
            objectStore: setup.store, metadata: setup.metadata, graceSeconds: 0, logger: setup.logger)
        #expect(await Self.exists(setup, orphan), "an object whose row could not be read is kept")
        let left = try FileManager.default.contentsOfDirectory(atPath: setup.spool.path)
        #expect(left.count == 1 && left[0].hasSuffix(".unresolved"), "\(left)")
        setup.metadata.setDown(false)
        await setup.spool.resolveLeftovers(
            objectStore: setup.store, metadata: setup.metadata, graceSeconds: 0, logger: setup.logger)
        #expect(!(await Self.exists(setup, orphan)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.spool.path).isEmpty)
    }

    @Test(
        "a journal stays for the grace period: an object that reappears (a request of the dead process completing late) is deleted again"
    )
    func lateCompletionIsDeletedAgain() async throws {
        let setup = try await Self.setUp()
        let orphan = try await Self.crashedUpload(setup, name: "late.bin")
        setup.spool.setAsideLeftovers(logger: setup.logger)
        await setup.spool.resolveLeftovers(
            objectStore: setup.store, metadata: setup.metadata, graceSeconds: 3600, logger: setup.logger)
        #expect(!(await Self.exists(setup, orphan)))
        let kept = try FileManager.default.contentsOfDirectory(atPath: setup.spool.path)
        #expect(
            kept.count == 1 && kept[0].hasSuffix(".unresolved"), "within the grace period the journal stays: \(kept)")
        // The dead process's PUT completes now.
        let file = IntegrationEnvironment.temporaryDirectory("late") + "/body"
        _ = FileManager.default.createFile(atPath: file, contents: Data("late".utf8))
        try await setup.store.putObject(
            key: orphan.objectKey, fromFile: file, size: 4, md5: MD5Hasher.digest(Array("late".utf8)),
            contentType: "application/octet-stream")
        #expect(await Self.exists(setup, orphan))
        // Next pass, after the grace period: deleted again, and the journal is done.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3601)], ofItemAtPath: setup.spool.path + "/" + kept[0])
        await setup.spool.resolveLeftovers(
            objectStore: setup.store, metadata: setup.metadata, graceSeconds: 3600, logger: setup.logger)
        #expect(!(await Self.exists(setup, orphan)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.spool.path).isEmpty)
    }

    @Test(
        "a handed-over journal (uncertain commit) keeps its object through the grace period and a restart; a late commit keeps it for good"
    )
    func uncertainCommitWaitsForTheGracePeriod() async throws {
        let setup = try await Self.setUp()
        let orphan = try await Self.crashedUpload(setup, name: "uncertain.bin")
        let late = try await Self.crashedUpload(setup, name: "late-commit.bin")
        for entry in try FileManager.default.contentsOfDirectory(atPath: setup.spool.path)
        where entry.hasSuffix(".journal") {
            let id = String(entry.dropLast(".journal".count))
            setup.spool.handOver(
                SpoolFileNames(data: "\(setup.spool.path)/\(id).part", journal: "\(setup.spool.path)/\(entry)"))
        }
        setup.spool.setAsideLeftovers(logger: setup.logger)  // a restart keeps them
        await setup.spool.resolveLeftovers(
            objectStore: setup.store, metadata: setup.metadata, graceSeconds: 3600, logger: setup.logger)
        #expect(await Self.exists(setup, orphan), "within the grace period the commit may still land: the object stays")
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.spool.path).count == 2)
        _ = try await setup.metadata.commit(late, quota: .unlimited)  // the late commit lands
        for entry in try FileManager.default.contentsOfDirectory(atPath: setup.spool.path) {
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSinceNow: -3601)], ofItemAtPath: setup.spool.path + "/" + entry)
        }
        await setup.spool.resolveLeftovers(
            objectStore: setup.store, metadata: setup.metadata, graceSeconds: 3600, logger: setup.logger)
        #expect(!(await Self.exists(setup, orphan)), "after the grace period, with no row: deleted")
        #expect(await Self.exists(setup, late), "the committed one stays")
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.spool.path).isEmpty)
    }
}
