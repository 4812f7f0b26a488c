import EventPatterns

/// The fixed rules every fuzzed event is matched against: each operator at least once, on few
/// short field names so that mutations reach them, plus `$or` and rules over the fields of an
/// array of objects (array consistency). The reference matcher's CIDR translation knows only
/// octet-aligned IPv4 blocks, so the CIDR rules stay within those.
enum RuleSet {
    static let rules: [(name: String, text: String)] = [
        ("exact-string", #"{"a":["x"]}"#),
        ("exact-number", #"{"n":[5]}"#),
        ("exact-literals", #"{"b":[true,null]}"#),
        ("exactly", #"{"a":[{"exactly":"xy"}]}"#),
        ("prefix", #"{"a":[{"prefix":"ab"}]}"#),
        ("suffix", #"{"a":[{"suffix":"yz"}]}"#),
        ("equals-ignore-case", #"{"a":[{"equals-ignore-case":"éB"}]}"#),
        ("prefix-ignore-case", #"{"s":[{"prefix":{"equals-ignore-case":"AB"}}]}"#),
        ("suffix-ignore-case", #"{"s":[{"suffix":{"equals-ignore-case":"YZ"}}]}"#),
        ("wildcard", #"{"a":[{"wildcard":"a*b*c"}]}"#),
        ("wildcard-escaped", #"{"s":[{"wildcard":"x\\*y*"}]}"#),
        ("anything-but-list", #"{"a":[{"anything-but":["x","y"]}]}"#),
        ("anything-but-numbers", #"{"n":[{"anything-but":[1,2.5]}]}"#),
        ("anything-but-prefix", #"{"s":[{"anything-but":{"prefix":"ab"}}]}"#),
        ("anything-but-suffix", #"{"s":[{"anything-but":{"suffix":"z"}}]}"#),
        ("anything-but-ignore-case", #"{"s":[{"anything-but":{"equals-ignore-case":["Q","rS"]}}]}"#),
        ("anything-but-wildcard", #"{"s":[{"anything-but":{"wildcard":"a*z"}}]}"#),
        ("anything-but-regex", #"{"s":[{"anything-but":{"regex":"[0-9]+"}}]}"#),
        ("numeric-range", #"{"n":[{"numeric":[">",0,"<=",5]}]}"#),
        ("numeric-equal", #"{"n":[{"numeric":["=",-1.5]}]}"#),
        ("cidr-8", #"{"ip":[{"cidr":"10.0.0.0/8"}]}"#),
        ("cidr-24", #"{"ip":[{"cidr":"192.168.1.0/24"}]}"#),
        ("exists", #"{"e":[{"exists":true}]}"#),
        ("exists-false", #"{"a":["x"],"e":[{"exists":false}]}"#),
        ("regex", #"{"s":[{"regex":"a[0-9]+b"}]}"#),
        ("or", #"{"$or":[{"a":["x"]},{"n":[{"numeric":[">",100]}]}],"b":[true]}"#),
        ("nested", #"{"o":{"p":{"q":["1"]}},"a":[{"anything-but":"x"}]}"#),
        ("array-consistent", #"{"o":{"k":["x"],"v":[{"numeric":[">=",2]}]}}"#),
        ("array-consistent-exists", #"{"o":{"k":[{"prefix":"a"}],"w":[{"exists":true}]}}"#),
        ("array-consistent-absent", #"{"o":{"k":["x"],"w":[{"exists":false}]}}"#),
        ("array-consistent-mixed", #"{"o":{"k":[{"wildcard":"*x*"},{"cidr":"10.1.0.0/16"}],"v":[{"anything-but":{"prefix":"a"}}]},"s":[{"exists":true}]}"#),
    ]

    /// The rules parsed once (a rule that no longer parses is a bug in this list).
    static let patterns: [(name: String, json: JSONValue, pattern: EventPattern)] = rules.map { rule in
        do {
            let pattern = try EventPattern(rule.text)
            return (rule.name, pattern.json, pattern)
        } catch {
            fatalError("fuzz rule \(rule.name) is not a valid pattern: \(error)")
        }
    }

    static func matcher(_ scanning: EventMatcher.Scanning) -> EventMatcher {
        let m = EventMatcher(scanning: scanning)
        for p in patterns { m.addRule(p.name, pattern: p.pattern) }
        m.compile()
        return m
    }
}
