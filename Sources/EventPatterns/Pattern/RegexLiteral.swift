extension PCRE2Regex {
    /// The longest literal that every value this pattern matches must contain, found from the
    /// spelling, or nil when none is certain. Used to index regexes by a literal inside the value
    /// (`InfixIndex`), so a value is tried only against the regexes whose literal it contains.
    ///
    /// Conservative by construction: only runs of plain characters at the top level count (not
    /// inside groups or classes, not a character a quantifier makes optional or repeatable). A
    /// pattern with a `|` anywhere, or caseless, has none; an option setting, verb or
    /// lookaround (`(?i)`, `(*UTF)`, `(?=`, …), `\Q` or any escape of a letter or digit (which
    /// may denote a class or a code point), a POSIX class or a brace that is not a count ends
    /// the search, keeping the runs before it (they are required whatever follows).
    static func requiredLiteral(_ pattern: String, caseless: Bool) -> [UInt8]? {
        // Any `|` may make every literal optional (alternatives, conditionals, branch resets).
        if caseless || pattern.utf8.contains(UInt8(ascii: "|")) { return nil }
        let b = Array(pattern.utf8)
        var runs: [[UInt8]] = []
        var run: [UInt8] = []
        var lastAtomStart = 0  // where the last character of `run` starts (multi-byte aware)
        func endRun() {
            if !run.isEmpty { runs.append(run) }
            run = []
        }
        func isAlphanumeric(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || ((c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z"))
        }
        /// The index after the class opening at `i`; nil for a class holding `[` (a POSIX
        /// class such as `[[:alpha:]]`, whose end is not the first `]`).
        func skipClass(_ i: Int) -> Int? {
            var j = i + 1
            if j < b.count && b[j] == UInt8(ascii: "^") { j += 1 }
            if j < b.count && b[j] == UInt8(ascii: "]") { j += 1 }
            while j < b.count && b[j] != UInt8(ascii: "]") {
                if b[j] == UInt8(ascii: "[") { return nil }
                j += b[j] == UInt8(ascii: "\\") ? 2 : 1
            }
            return j + 1
        }
        /// The index after the counted repeat `{n}`, `{n,}`, `{n,m}` or `{,m}` opening at `i`
        /// (spaces allowed inside, as PCRE2 allows them); nil when the brace is a literal.
        func skipCount(_ i: Int) -> Int? {
            var j = i + 1
            var digits = 0
            while j < b.count && b[j] != UInt8(ascii: "}") {
                let d = b[j]
                if d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") {
                    digits += 1
                } else if d != UInt8(ascii: ",") && d != UInt8(ascii: " ") {
                    return nil
                }
                j += 1
            }
            return j < b.count && digits > 0 ? j + 1 : nil
        }
        /// Whether the `(` at `i` opens an option setting, a verb, a lookaround or another
        /// construct that is not a plain or non-capturing group.
        func startsOptionOrVerb(_ i: Int) -> Bool {
            guard i + 1 < b.count else { return false }
            if b[i + 1] == UInt8(ascii: "*") { return true }
            return b[i + 1] == UInt8(ascii: "?") && (i + 2 >= b.count || b[i + 2] != UInt8(ascii: ":"))
        }
        var i = 0
        scan: while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "("):
                // `(?:…)` and `(…)` are skipped whole (their contents may be optional);
                // anything else that starts with `(?` or `(*` can change how the rest reads.
                if startsOptionOrVerb(i) { break scan }
                endRun()
                var depth = 0
                var j = i
                repeat {
                    switch b[j] {
                    case UInt8(ascii: "\\"): j += 2
                    case UInt8(ascii: "["):
                        guard let end = skipClass(j) else { break scan }
                        j = end
                    case UInt8(ascii: "("):
                        if startsOptionOrVerb(j) { break scan }
                        depth += 1
                        j += 1
                    case UInt8(ascii: ")"):
                        depth -= 1
                        j += 1
                    default: j += 1
                    }
                } while j < b.count && depth > 0
                i = j
            case UInt8(ascii: "["):
                endRun()
                guard let end = skipClass(i) else { break scan }
                i = end
            case UInt8(ascii: "\\"):
                guard i + 1 < b.count, !isAlphanumeric(b[i + 1]), b[i + 1] < 0x80 else { break scan }
                lastAtomStart = run.count
                run.append(b[i + 1])
                i += 2
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                // The atom before is optional or repeated: not part of a required run. (A
                // brace that is not a count is a literal, but reading on past it is not worth
                // the risk: stop.)
                var after = i + 1
                if c == UInt8(ascii: "{") {
                    guard let end = skipCount(i) else { break scan }
                    after = end
                }
                if !run.isEmpty { run.removeLast(run.count - lastAtomStart) }
                endRun()
                i = after
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: ")"), UInt8(ascii: "#"):
                endRun()
                i += 1
            default:
                // One character, all of its bytes (a quantifier after it applies to all).
                lastAtomStart = run.count
                var n = 1
                if c >= 0xC0 { n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2 }
                run.append(contentsOf: b[i..<min(b.count, i + n)])
                i += n
            }
        }
        // A search that stopped early stopped at an escape or a group, never at a quantifier:
        // the run so far is required.
        endRun()
        return runs.max { $0.count < $1.count }
    }
}
