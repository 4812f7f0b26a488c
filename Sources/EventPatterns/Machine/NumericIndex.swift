/// Numeric ranges indexed for stabbing queries: which ranges contain x? A static interval tree,
/// so a lookup costs O(log n + matches) however many ranges share the field.
struct NumericIndex: Sendable {
    private struct Entry: Sendable {
        var range: NumericRange
        var target: Int32
        var low: Double { range.lower ?? -.infinity }
        var high: Double { range.upper ?? .infinity }
    }

    private final class Node: Sendable {
        let center: Double
        let byLow: [Entry]  // ascending lower bound
        let byHigh: [Entry]  // descending upper bound
        let left: Node?
        let right: Node?
        init(center: Double, byLow: [Entry], byHigh: [Entry], left: Node?, right: Node?) {
            self.center = center
            self.byLow = byLow
            self.byHigh = byHigh
            self.left = left
            self.right = right
        }
    }

    private var pending: [Entry] = []
    private var root: Node?
    var isEmpty: Bool { pending.isEmpty }

    mutating func insert(_ range: NumericRange, target: Int32) {
        pending.append(Entry(range: range, target: target))
        root = nil
    }

    /// Builds the tree; call after the last insert.
    mutating func seal() {
        root = NumericIndex.build(pending)
    }

    private static func build(_ entries: [Entry]) -> Node? {
        if entries.isEmpty { return nil }
        var points: [Double] = []
        for e in entries {
            if e.low.isFinite { points.append(e.low) }
            if e.high.isFinite { points.append(e.high) }
        }
        points.sort()
        let center = points.isEmpty ? 0 : points[points.count / 2]
        var left: [Entry] = []
        var right: [Entry] = []
        var mid: [Entry] = []
        for e in entries {
            if e.high < center { left.append(e) } else if e.low > center { right.append(e) } else { mid.append(e) }
        }
        return Node(
            center: center,
            byLow: mid.sorted { $0.low < $1.low },
            byHigh: mid.sorted { $0.high > $1.high },
            left: build(left),
            right: build(right))
    }

    func forEachContaining(_ x: Double, _ body: (Int32) -> Void) {
        var node = root
        while let n = node {
            if x < n.center {
                for e in n.byLow {
                    if e.low > x { break }
                    if e.range.contains(x) { body(e.target) }
                }
                node = n.left
            } else if x > n.center {
                for e in n.byHigh {
                    if e.high < x { break }
                    if e.range.contains(x) { body(e.target) }
                }
                node = n.right
            } else {
                for e in n.byLow where e.range.contains(x) { body(e.target) }
                return
            }
        }
    }
}
