/// Numeric ranges indexed for stabbing queries: which ranges contain x?
///
/// When the ranges overlap little (the usual case: thresholds and buckets), they are cut into
/// elementary segments between their end points, each listing the ranges covering it, and a
/// lookup is one binary search over a flat array of doubles. When that table would grow too
/// large (many nested or one-sided ranges), a static interval tree is used instead. Either way
/// a lookup costs O(log n + matches) however many ranges share the field.
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
    private var segments: SegmentTable?
    var isEmpty: Bool { pending.isEmpty }

    mutating func insert(_ range: NumericRange, target: Int32) {
        pending.append(Entry(range: range, target: target))
        root = nil
    }

    /// Builds the tree; call after the last insert.
    mutating func seal() {
        segments = SegmentTable(pending.map { ($0.range, $0.target) })
        root = segments == nil ? NumericIndex.build(pending) : nil
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
        if let segments {
            segments.forEachContaining(x, body)
            return
        }
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

/// Elementary segments of the real line cut at every finite end point: slot 2k+1 is exactly
/// `bounds[k]`, slot 2k the open stretch below it, the last slot everything above the last
/// bound. Each slot lists (in CSR form) the targets of the ranges covering it.
private struct SegmentTable: Sendable {
    let bounds: [Double]
    let offsets: [Int32]
    let targets: [Int32]
    /// Every 64th bound: searched first (small enough to stay in cache), it narrows the search
    /// of `bounds` to one block of 64, so a lookup among many ranges misses the cache a couple
    /// of times instead of at every step of a binary search.
    let summary: [Double]
    static let block = 64

    /// Nil when the table would hold more than a few entries per range.
    init?(_ ranges: [(NumericRange, Int32)]) {
        var points: [Double] = []
        for (r, _) in ranges {
            if let l = r.lower, l.isFinite { points.append(l) }
            if let u = r.upper, u.isFinite { points.append(u) }
        }
        points.sort()
        var bounds: [Double] = []
        for p in points where bounds.last != p { bounds.append(p) }
        let slotCount = 2 * bounds.count + 1
        func position(_ v: Double) -> Int {
            var lo = 0, hi = bounds.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if bounds[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var spans: [(first: Int, last: Int, target: Int32)] = []
        var total = 0
        for (r, target) in ranges {
            var first = 0
            var last = slotCount - 1
            if let l = r.lower {
                if l == .infinity { continue }
                if l.isFinite { first = 2 * position(l) + (r.lowerInclusive ? 1 : 2) }
            }
            if let u = r.upper {
                if u == -.infinity { continue }
                if u.isFinite { last = 2 * position(u) + (r.upperInclusive ? 1 : 0) }
            }
            guard first <= last else { continue }
            spans.append((first, last, target))
            total += last - first + 1
            if total > 4 * ranges.count + 4096 { return nil }
        }
        var counts = [Int32](repeating: 0, count: slotCount + 1)
        for s in spans {
            for slot in s.first...s.last { counts[slot + 1] += 1 }
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var fill = counts
        var targets = [Int32](repeating: 0, count: total)
        for s in spans {
            for slot in s.first...s.last {
                targets[Int(fill[slot])] = s.target
                fill[slot] += 1
            }
        }
        self.bounds = bounds
        self.offsets = counts
        self.targets = targets
        self.summary = stride(from: 0, to: bounds.count, by: Self.block).map { bounds[$0] }
    }

    func forEachContaining(_ x: Double, _ body: (Int32) -> Void) {
        bounds.withUnsafeBufferPointer { b in
            // The first summary entry not below x: the answer lies in the block before it.
            let block = summary.withUnsafeBufferPointer { s in
                var lo = 0, hi = s.count
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if s[mid] < x { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }
            var lo = block == 0 ? 0 : (block - 1) * Self.block
            var hi = min(block * Self.block, b.count)
            while lo < hi {
                let mid = (lo + hi) >> 1
                if b[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            let slot = lo < b.count && b[lo] == x ? 2 * lo + 1 : 2 * lo
            offsets.withUnsafeBufferPointer { o in
                targets.withUnsafeBufferPointer { t in
                    for i in Int(o[slot])..<Int(o[slot + 1]) { body(t[i]) }
                }
            }
        }
    }
}
