/// The listing as an asynchronous sequence of pages (``UDSClient/list(pageSize:)``): each step
/// fetches the next page with the previous page's cursor; it ends after the page without one.
public struct FilePages: AsyncSequence, Sendable {
    /// Each element is one page.
    public typealias Element = FilePage

    let client: UDSClient
    let pageSize: Int?

    /// Starts at the first page.
    public func makeAsyncIterator() -> Iterator { Iterator(client: client, pageSize: pageSize) }

    /// Every file of every page, in order (all pages fetched).
    /// - Throws: ``ClientError``.
    public func allFiles() async throws -> [RemoteFile] {
        var files: [RemoteFile] = []
        for try await page in self { files += page.files }
        return files
    }

    /// Fetches one page per `next()`.
    public struct Iterator: AsyncIteratorProtocol {
        let client: UDSClient
        let pageSize: Int?
        var cursor: String?
        var finished = false

        init(client: UDSClient, pageSize: Int?) {
            self.client = client
            self.pageSize = pageSize
        }

        /// The next page, or `nil` after the last.
        /// - Throws: ``ClientError``.
        public mutating func next() async throws -> FilePage? {
            guard !finished else { return nil }
            let page = try await client.listPage(limit: pageSize, cursor: cursor)
            cursor = page.nextCursor
            finished = page.nextCursor == nil
            return page
        }
    }
}
