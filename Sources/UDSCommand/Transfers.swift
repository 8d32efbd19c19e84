import Foundation

/// Runs `operation` for every item with at most `limit` at once, returning their exit statuses in item order.
enum Transfers {
    static func run<Item: Sendable>(
        _ items: [Item], limit: Int, _ operation: @escaping @Sendable (Item) async -> ExitStatus
    ) async -> [ExitStatus] {
        await withTaskGroup(of: (Int, ExitStatus).self) { group in
            var statuses = [ExitStatus](repeating: .ok, count: items.count)
            var next = 0
            while next < min(limit, items.count) {
                let index = next
                group.addTask { (index, await operation(items[index])) }
                next += 1
            }
            for await (index, status) in group {
                statuses[index] = status
                if next < items.count && !Task.isCancelled {
                    let index = next
                    group.addTask { (index, await operation(items[index])) }
                    next += 1
                }
            }
            for index in next..<items.count { statuses[index] = .interrupted }
            return statuses
        }
    }
}
