import AsyncHTTPClient
import CoreStore
import Foundation
import NIOCore
import Synchronization
import TestSupport
import Testing

/// The fleet on loopback (``LocalFleet``): PostgreSQL with two shards, SeaweedFS, Redis, two upload
/// and two download nodes, haproxy as the load balancer. Mixed sizes from 20 users, concurrently,
/// with each upload node and each download node killed (`kill -9`) and restarted mid-run, one
/// after the other.
@Suite("fleet: 2 shards, 2 upload + 2 download nodes behind haproxy", .enabled(if: LocalFleet.isAvailable))
struct FleetTests {
    static let users = (0..<20).map { "fleet-user-\($0)" }

    @Test(
        "200 concurrent transfers through haproxy with kills; read-after-write on both download nodes; nothing lost or leaked"
    )
    func fleet() async throws {
        let fleet = try await LocalFleet.start(label: "fleet")
        let driver = try FleetDriver(fleet: fleet)
        do {
            try await Self.exercise(fleet: fleet, driver: driver)
        } catch {
            try await driver.shutdown()
            await fleet.stop()
            throw error
        }
        try await driver.shutdown()
        await fleet.stop()
    }

    static func exercise(fleet: LocalFleet, driver: FleetDriver) async throws {
        let files = (0..<200).map { FleetFile(index: $0, version: 0) }

        // 1. 200 concurrent uploads through the balancer; upload node 1 is killed after 60 answers,
        //    upload node 2 after 140 (once node 1 is back).
        let uploads = await driver.concurrently(files) { file in
            try await driver.upload(file, via: .balancer)
        } atCompletion: { completed in
            completed == 60 ? (upload: true, index: 0) : completed == 140 ? (upload: true, index: 1) : nil
        }
        try driver.expectOnlyKilledInFlightFailed(uploads, "uploads")
        print(
            "fleet: uploads \(uploads.filter { $0.status == 200 }.count) ok, \(uploads.filter { $0.status != 200 }.count) in flight on the killed upload nodes (statuses \(Set(uploads.map(\.status)).sorted()))"
        )
        let retried = await driver.concurrently(uploads.filter { $0.status != 200 }.map(\.file)) { file in
            try await driver.upload(file, via: .balancer)
        }
        #expect(retried.allSatisfy { $0.status == 200 }, "retried uploads: \(retried.map(\.status))")

        // 2. Every file downloaded once through the balancer; download node 1 is killed after 60,
        //    download node 2 after 140.
        let downloads = await driver.concurrently(files) { file in
            try await driver.download(file, via: .balancer)
        } atCompletion: { completed in
            completed == 60 ? (upload: false, index: 0) : completed == 140 ? (upload: false, index: 1) : nil
        }
        try driver.expectOnlyKilledInFlightFailed(downloads, "downloads")
        print(
            "fleet: downloads \(downloads.filter { $0.status == 200 }.count) ok, \(downloads.filter { $0.status != 200 }.count) in flight on the killed download nodes"
        )
        for result in downloads where result.status == 200 {
            #expect(result.md5 == result.file.md5, "\(result.file.name): the bytes served are the bytes acknowledged")
        }

        // 3. Every acknowledged file is byte-identical from either download node.
        for node in 0..<2 {
            let reads = await driver.concurrently(files, width: 50) { file in
                try await driver.download(file, via: .download(node))
            }
            for result in reads {
                #expect(
                    result.status == 200 && result.md5 == result.file.md5,
                    "download node \(node + 1): \(result.file.name) → \(result.status)")
            }
        }

        // 4. Replace and delete through one upload node; both download nodes answer with the new state at once.
        var live = Dictionary(uniqueKeysWithValues: files.map { ($0.name + "/" + $0.user, $0) })
        for round in 0..<20 {
            let replaced = FleetFile(index: round, version: 1)
            let replace = try await driver.upload(replaced, via: .upload(0))
            #expect(replace.status == 200, "replace \(replaced.name)")
            live[replaced.name + "/" + replaced.user] = replaced
            let deleted = files[round + 20]
            let delete = try await driver.delete(deleted, via: .upload(0))
            #expect(delete.status == 204, "delete \(deleted.name)")
            live[deleted.name + "/" + deleted.user] = nil
            for node in 0..<2 {
                let read = try await driver.download(replaced, via: .download(node))
                #expect(
                    read.status == 200 && read.md5 == replaced.md5,
                    "node \(node + 1) right after replace: \(read.status)")
                let gone = try await driver.download(deleted, via: .download(node))
                #expect(gone.status == 404, "node \(node + 1) right after delete: \(gone.status)")
                let names = try await driver.listing(user: deleted.user, via: .download(node))
                #expect(!names.keys.contains(deleted.name), "node \(node + 1) lists a deleted file")
                let replacedNames = try await driver.listing(user: replaced.user, via: .download(node))
                #expect(replacedNames[replaced.name] == replaced.md5.hex, "node \(node + 1) lists the new version")
            }
        }

        // 5. Invariants after recovery.
        for user in Self.users {
            let listed = try await driver.listing(user: user, via: .balancer)
            let expected = Dictionary(
                uniqueKeysWithValues: live.values.filter { $0.user == user }.map { ($0.name, $0.md5.hex) })
            #expect(listed == expected, "\(user): every acknowledged upload is listed, nothing else")
        }
        let usersPerShard = try await fleet.usersPerShard()
        #expect(
            usersPerShard.allSatisfy { $0 > 0 } && usersPerShard.reduce(0, +) == Self.users.count,
            "users per shard \(usersPerShard)")
        let store = try await fleet.weed.makeStore(bucket: fleet.bucket)
        #expect(try await store.listMultipartUploads(prefix: fleet.keyPrefix).isEmpty, "multipart uploads left")
        // The killed upload nodes' leftovers are resolved by their sweepers once they run again.
        var orphans = try await fleet.orphanObjects()
        let resolved = try await eventually {
            orphans = try await fleet.orphanObjects()
            return orphans.isEmpty
        }
        print(
            "fleet: users per shard \(usersPerShard), \(try await fleet.objectKeys().count) objects, orphans \(orphans.count)"
        )
        #expect(resolved, "objects with no metadata row: \(orphans)")
        #expect(await eventually { fleet.spoolEntries().isEmpty }, "spool files left: \(fleet.spoolEntries())")
    }
}
