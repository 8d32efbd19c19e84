/// The LRU order and sizes of a ``DiskLRUCache``'s committed entries: a dictionary into an
/// array-backed doubly linked list, so insert, touch, remove and pop-oldest are O(1).
struct LRUIndex {
    private struct Node {
        var id: FileID
        var size: Int64
        var older: Int
        var newer: Int
    }

    private var nodes: [Node] = []
    private var freeSlots: [Int] = []
    private var slots: [FileID: Int] = [:]
    private var oldest = -1
    private var newest = -1

    /// Sum of the sizes of all entries.
    private(set) var totalBytes: Int64 = 0

    /// Number of entries.
    var count: Int { slots.count }

    /// The size of an entry without changing its recency.
    func size(of id: FileID) -> Int64? { slots[id].map { nodes[$0].size } }

    /// Ids from least to most recently used (tests and diagnostics).
    var idsOldestFirst: [FileID] {
        var result: [FileID] = []
        var slot = oldest
        while slot >= 0 {
            result.append(nodes[slot].id)
            slot = nodes[slot].newer
        }
        return result
    }

    /// Adds an entry as most recently used, replacing an entry with the same id.
    /// - Returns: The replaced entry's size, if there was one.
    @discardableResult
    mutating func insert(_ id: FileID, size: Int64) -> Int64? {
        let previous = remove(id)
        let node = Node(id: id, size: size, older: newest, newer: -1)
        let slot: Int
        if let free = freeSlots.popLast() {
            nodes[free] = node
            slot = free
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if newest >= 0 { nodes[newest].newer = slot } else { oldest = slot }
        newest = slot
        slots[id] = slot
        totalBytes += size
        return previous
    }

    /// Marks an entry most recently used.
    /// - Returns: Its size, or `nil` when absent.
    mutating func touch(_ id: FileID) -> Int64? {
        guard let slot = slots[id] else { return nil }
        if slot != newest {
            unlink(slot)
            nodes[slot].older = newest
            nodes[slot].newer = -1
            nodes[newest].newer = slot
            newest = slot
        }
        return nodes[slot].size
    }

    /// Removes an entry.
    /// - Returns: Its size, or `nil` when absent.
    @discardableResult
    mutating func remove(_ id: FileID) -> Int64? {
        guard let slot = slots.removeValue(forKey: id) else { return nil }
        unlink(slot)
        freeSlots.append(slot)
        totalBytes -= nodes[slot].size
        return nodes[slot].size
    }

    /// Removes the least recently used entry for which `isProtected` is false.
    /// - Returns: The removed id and size, or `nil` when every entry is protected.
    mutating func removeOldest(skipping isProtected: (FileID) -> Bool) -> (id: FileID, size: Int64)? {
        var slot = oldest
        while slot >= 0 {
            let node = nodes[slot]
            if !isProtected(node.id) {
                remove(node.id)
                return (node.id, node.size)
            }
            slot = node.newer
        }
        return nil
    }

    /// Detaches a slot from the list (the slot itself stays allocated).
    private mutating func unlink(_ slot: Int) {
        let node = nodes[slot]
        if node.older >= 0 { nodes[node.older].newer = node.newer } else { oldest = node.newer }
        if node.newer >= 0 { nodes[node.newer].older = node.older } else { newest = node.older }
    }
}
