import Foundation

extension LocalFleet {
    /// How many users have live rows in each shard database (shard order).
    public func usersPerShard() async throws -> [Int] {
        var counts: [Int] = []
        for database in shardDatabases {
            let output = try await postgres.psql(
                database: database, "SELECT count(DISTINCT user_id) FROM files WHERE state = 'live'")
            counts.append(Int(output) ?? -1)
        }
        return counts
    }

    /// Object keys under the fleet's prefix whose file id has no row (live or pending deletion) in
    /// any shard: objects nothing will ever serve or delete.
    public func orphanObjects() async throws -> [String] {
        var known = Set<String>()
        for database in shardDatabases {
            let output = try await postgres.psql(database: database, "SELECT file_id FROM files")
            known.formUnion(output.split(separator: "\n").map(String.init))
        }
        return try await objectKeys().filter { !known.contains(String($0.split(separator: "/").last ?? "")) }
    }

    /// Every object key under the fleet's prefix (S3 ListObjectsV2, signed by curl's `--aws-sigv4`).
    public func objectKeys() async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            // SigV4 signs the canonical query: parameters sorted, values fully percent-encoded.
            func encoded(_ value: String) -> String {
                value.addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
            }
            var query = "list-type=2&max-keys=1000&prefix=\(encoded(keyPrefix + "/"))"
            if let token { query = "continuation-token=\(encoded(token))&" + query }
            let result = try await CurlCommand.run([
                "--aws-sigv4", "aws:amz:\(weed.region):s3", "--user", "\(weed.accessKey):\(weed.secretKey)",
                "\(weed.endpoint)/\(bucket)?\(query)",
            ])
            guard result.status == 200 else {
                throw ContractViolation(
                    description: "ListObjectsV2: \(result.status) \(result.body)", location: #fileID)
            }
            keys += Self.elements("Key", in: result.body)
            token = Self.elements("NextContinuationToken", in: result.body).first
        } while token != nil
        return keys
    }

    /// The texts of every `<name>…</name>` element.
    private static func elements(_ name: String, in xml: String) -> [String] {
        xml.components(separatedBy: "<\(name)>").dropFirst().compactMap {
            $0.components(separatedBy: "</\(name)>").first
        }
    }
}
