/// A `wildcard` operand: literal runs separated by `*` (zero or more characters).
struct Wildcard: Hashable, Sendable {
    let source: String
    /// The literal runs between stars, unescaped.
    let segments: [[UInt8]]
    let leadingStar: Bool
    let trailingStar: Bool

    var hasStar: Bool { leadingStar || trailingStar || segments.count > 1 }
    /// The literal text before the first star ("" for a leading star).
    var literalPrefix: [UInt8] { leadingStar ? [] : segments[0] }
    /// The literal text after the last star ("" for a trailing star).
    var literalSuffix: [UInt8] { trailingStar || !hasStar ? [] : segments[segments.count - 1] }

    /// The longest literal run: every matching value contains it.
    var longestSegment: [UInt8] { segments.max { $0.count < $1.count } ?? [] }

    /// The most NFA positions that can be live at once; EventBridge rejects patterns where this
    /// grows too large ("Rule is too complex ..."). Ours: more than `maxComplexity`.
    static let maxComplexity = 12

    /// Parses and validates; `pos` in errors counts UTF-8 bytes plus the opening quote, as
    /// EventBridge reports it (`"a**b"` → pos 2).
    static func parse(_ s: String) -> Result<Wildcard, OperandError> {
        let bytes = Array(s.utf8)
        var segments: [[UInt8]] = [[]]
        var tokens: [Int] = []  // -1 for a star, otherwise a byte; used by the complexity check
        var leadingStar = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") || bytes[i + 1] == UInt8(ascii: "\\") else {
                    return .failure(OperandError("Invalid escape character at pos \(i + 1)"))
                }
                segments[segments.count - 1].append(bytes[i + 1])
                tokens.append(Int(bytes[i + 1]))
                i += 2
            } else if b == UInt8(ascii: "*") {
                if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*") {
                    return .failure(OperandError("Consecutive wildcard characters at pos \(i + 1)"))
                }
                if i == 0 { leadingStar = true } else { segments.append([]) }
                tokens.append(-1)
                i += 1
            } else {
                segments[segments.count - 1].append(b)
                tokens.append(Int(b))
                i += 1
            }
        }
        let trailingStar = bytes.count > 0 && tokens.last == -1
        if trailingStar && segments.last?.isEmpty == true && segments.count > 1 { segments.removeLast() }
        if complexity(tokens) > maxComplexity {
            return .failure(OperandError(
                "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"
            ))
        }
        return .success(Wildcard(source: s, segments: segments, leadingStar: leadingStar, trailingStar: trailingStar))
    }

    func matches(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        if !hasStar { return v.elementsEqual(segments[0]) }
        var first = 0
        var last = segments.count
        var pos = 0
        var end = v.count
        if !leadingStar {
            let p = segments[0]
            guard p.count <= v.count, v.starts(with: p) else { return false }
            pos = p.count
            first = 1
        }
        if !trailingStar {
            let s = segments[segments.count - 1]
            guard s.count <= end - pos, first <= segments.count - 1 else { return false }
            for (j, b) in s.enumerated() where v[end - s.count + j] != b { return false }
            end -= s.count
            last -= 1
        }
        // Middle runs: leftmost occurrence is always the best choice when only `*` is special.
        var k = first
        while k < last {
            guard let found = find(segments[k], in: v, from: pos, to: end) else { return false }
            pos = found + segments[k].count
            k += 1
        }
        return pos <= end
    }

    private func find(_ needle: [UInt8], in v: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        if needle.isEmpty { return from }
        var i = from
        let first = needle[0]
        while i + needle.count <= to {
            if v[i] == first {
                var j = 1
                while j < needle.count && v[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Explores the glob's NFA (positions in `tokens`) and returns the largest set of positions
    /// that can be live at once over any input — or, as soon as some set exceeds `limit`, that
    /// set's size. Sets are sorted arrays of at most `limit + 1` positions, and only the bytes
    /// named at a set's own positions (plus one for every other byte) are tried from it, so
    /// each set costs O(limit²) and a 256 KiB pattern is decided in milliseconds. At most
    /// `maxSets` sets are explored.
    static func complexity(_ tokens: [Int], limit: Int = maxComplexity, maxSets: Int = 50_000) -> Int {
        /// Adds the positions after stars (a star may match nothing), keeping `set` sorted.
        func closure(_ set: inout [Int32]) {
            set.sort()
            var unique = 0
            for x in set where unique == 0 || set[unique - 1] != x {
                set[unique] = x
                unique += 1
            }
            set.removeLast(set.count - unique)
            var k = 0
            while k < set.count {
                let q = Int(set[k])
                if q < tokens.count && tokens[q] == -1 && !set.contains(Int32(q + 1)) { set.append(Int32(q + 1)) }
                k += 1
            }
            set.sort()
        }
        var start: [Int32] = [0]
        closure(&start)
        var seen: Set<[Int32]> = [start]
        var frontier = [start]
        var best = start.count
        while let s = frontier.popLast(), seen.count < maxSets {
            if best > limit { return best }
            var bytes: [Int] = [-2]  // -2: any byte the set's positions do not name
            for q in s where Int(q) < tokens.count && tokens[Int(q)] >= 0 && !bytes.contains(tokens[Int(q)]) {
                bytes.append(tokens[Int(q)])
            }
            for c in bytes {
                var next: [Int32] = []
                for q in s where Int(q) < tokens.count {
                    let t = tokens[Int(q)]
                    if t == -1 { next.append(q) } else if t == c { next.append(q + 1) }
                }
                closure(&next)
                if !next.isEmpty && seen.insert(next).inserted {
                    best = max(best, next.count)
                    if best > limit { return best }
                    frontier.append(next)
                }
            }
        }
        return best
    }
}
