import CoreStore
import Foundation
import Logging
import TestSupport
import Testing

@testable import UploadNode

@Suite("journal files: journals are published whole into reused files")
struct JournalFilesTests {
    static func directory() throws -> String {
        let path = IntegrationEnvironment.temporaryDirectory("journal-files") + "/spool"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func inode(_ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require((attributes[.systemFileNumber] as? NSNumber)?.uint64Value)
    }

    static func contents(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    }

    @Test(
        "a journal written over another swaps files: the journal is whole and the older file waits idle for the next write"
    )
    func rewriteKeepsTheOlderFile() throws {
        let directory = try Self.directory()
        let files = JournalFiles(directory: directory)
        let journal = directory + "/u.journal"
        let first = Array(#"{"key":"first","uploadID":"m-0"}"#.utf8)
        try files.write(first, to: journal, durable: false)
        let firstInode = try Self.inode(journal)
        #expect(files.idleCount == 0)
        try files.write(Array(#"{"key":"second","uploadID":"m-1"}"#.utf8), to: journal, durable: true)
        #expect(Self.contents(journal) == Array(#"{"key":"second","uploadID":"m-1"}"#.utf8))
        #expect(try Self.inode(journal) != firstInode, "the new bytes came in another file")
        #expect(files.idleCount == 1, "the first journal's file is kept, not freed")
        #expect(SpoolListing.idleEntries(in: directory).count == 1)
        try files.write(Array(#"{"key":"third"}"#.utf8), to: journal, durable: false)
        #expect(try Self.inode(journal) == firstInode, "the third write reused the first journal's file")
        let third = String(decoding: Self.contents(journal), as: UTF8.self)
        let padding = String(repeating: " ", count: first.count - #"{"key":"third"}"#.utf8.count)
        #expect(third == #"{"key":"third"}"# + padding, "padded over the stale bytes")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 2)
    }

    @Test("a retired journal's file becomes the next upload's journal: no file created, no stale byte readable")
    func retiredFileIsReused() throws {
        let directory = try Self.directory()
        let spool = try SpoolDirectory(path: directory)
        let key = ObjectKey(rawValue: "files/alice/" + String(repeating: "k", count: 40))
        let first = spool.newUpload()
        try spool.writeJournal(
            UploadJournal(key: key, uploadID: "upload-1", userID: "alice", fileName: "long name.bin"), of: first)
        let inode = try Self.inode(first.journal)
        spool.discard(first)
        #expect(!FileManager.default.fileExists(atPath: first.journal))
        #expect(spool.journals.idleCount == 1)
        let second = spool.newUpload()
        try spool.writeJournal(UploadJournal(key: ObjectKey(rawValue: "files/bob/x"), uploadID: nil), of: second)
        #expect(try Self.inode(second.journal) == inode, "the retired file was reused")
        #expect(spool.journals.idleCount == 0)
        let read = try #require(UploadJournal.read(from: second.journal))
        #expect(read.key == ObjectKey(rawValue: "files/bob/x"))
        #expect(read.uploadID == nil && read.userID == nil && read.fileName == nil, "nothing of the first journal")
        #expect(SpoolListing.uploadEntries(in: directory) == [(second.journal as NSString).lastPathComponent])
    }

    @Test("retired files beyond the capacity or the size limit are deleted")
    func keepsAtMostCapacitySmallFiles() throws {
        let directory = try Self.directory()
        let files = JournalFiles(directory: directory, capacity: 2)
        for index in 0..<3 {
            let journal = directory + "/\(index).journal"
            try files.write(Array(#"{"key":"k\#(index)"}"#.utf8), to: journal, durable: false)
            files.retire(journal)
        }
        // Each write after the first reused the idle file of the one before: one file in all.
        #expect(files.idleCount == 1)
        for index in 3..<6 {
            try files.write(Array(#"{"key":"k"}"#.utf8), to: directory + "/\(index).journal", durable: false)
        }
        for index in 3..<6 { files.retire(directory + "/\(index).journal") }
        #expect(files.idleCount == 2)
        #expect(SpoolListing.idleEntries(in: directory).count == 2, "the third retired file was deleted")
        let scratch = directory + "/scratch.journal"
        _ = FileManager.default.createFile(atPath: scratch, contents: Data(count: 5000))
        let small = JournalFiles(directory: directory, capacity: 10)
        small.retire(scratch)
        #expect(small.idleCount == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch))
        small.retire(directory + "/missing.journal")
        #expect(small.idleCount == 0)
        #expect(SpoolListing.idleEntries(in: directory).count == 2)
    }

    @Test("start-up deletes idle files with the other leftovers and counts only bodies")
    func startUpDeletesIdleFiles() throws {
        let directory = try Self.directory()
        let spool = try SpoolDirectory(path: directory)
        let names = spool.newUpload()
        try spool.writeJournal(UploadJournal(key: ObjectKey(rawValue: "files/alice/a"), uploadID: nil), of: names)
        spool.discard(names)
        #expect(SpoolListing.idleEntries(in: directory).count == 1)
        let restarted = try SpoolDirectory(path: directory)
        #expect(restarted.setAsideLeftovers(logger: Logger(label: "journal-files-test")) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
