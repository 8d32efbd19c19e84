import CoreStore
import Foundation
import TestSupport
import Testing

@testable import NodeHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// The census a node logs when it has stopped.
@Suite("open descriptor census")
struct OpenDescriptorCensusTests {
    @Test("descriptors are sorted into sockets, transfer files, other data files and the rest")
    func classification() {
        var census = OpenDescriptorCensus()
        let data = "/var/lib/uds/"
        for target in [
            "socket:[4711]", "/var/lib/uds/spool/a.part", "/var/lib/uds/cache/tmp/b", "/var/lib/uds/objects/c/d",
            "/var/lib/uds/metadata.sqlite", "anon_inode:[eventpoll]", "pipe:[12]", "/var/lib/udsx/spool/e",
        ] {
            census.count(target: target, dataDirectory: data)
        }
        var expected = OpenDescriptorCensus()
        expected.sockets = 1
        expected.transferFiles = 3
        expected.otherDataFiles = 1
        expected.other = 3
        #expect(census == expected)
    }

    @Test("an open spool file is counted from /proc/self/fd, and no longer once closed")
    func countsTheProcessDescriptors() throws {
        let directory = IntegrationEnvironment.temporaryDirectory("census")
        try FileManager.default.createDirectory(atPath: directory + "/spool", withIntermediateDirectories: true)
        let file = try OpenFile(path: directory + "/spool/upload.part", flags: O_WRONLY | O_CREAT)
        #expect(OpenDescriptorCensus.take(dataDirectory: directory).transferFiles == 1)
        try file.close()
        #expect(OpenDescriptorCensus.take(dataDirectory: directory).transferFiles == 0)
    }

    @Test("descriptors open at the start are left out of the count (a directory of links stands in for /proc/self/fd)")
    func inheritedDescriptorsAreExcluded() throws {
        let links = IntegrationEnvironment.temporaryDirectory("census-links")
        let targets: [String: String] = [
            "1": "/dev/null", "3": "socket:[100]", "4": "/srv/uds/cache/a", "7": "socket:[200]",
            "9": "/srv/uds/spool/b",
        ]
        for (number, target) in targets {
            try FileManager.default.createSymbolicLink(atPath: links + "/" + number, withDestinationPath: target)
        }
        #expect(OpenDescriptorCensus.openNumbers(fdDirectory: links) == [1, 3, 4, 7, 9])
        let all = OpenDescriptorCensus.take(dataDirectory: "/srv/uds", fdDirectory: links)
        #expect(all.sockets == 2 && all.transferFiles == 2)
        let own = OpenDescriptorCensus.take(dataDirectory: "/srv/uds", excluding: [3, 4], fdDirectory: links)
        #expect(own.sockets == 1 && own.transferFiles == 1)
    }
}
