/// Why a pattern was rejected, and where.
///
/// `reason` uses EventBridge's own wording wherever EventBridge has one, so a pattern that
/// fails here fails on AWS with the same words; `path` is a JSON path into the pattern such as
/// `$.detail.state[0].anything-but`.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// AWS's InvalidEventPatternException message, followed by where the problem is.
    public var description: String { "Event pattern is not valid. Reason: \(reason) (at \(path))" }
}

/// JSON paths for error messages: `$.a.b[2]`, with awkward keys quoted.
enum JSONPath {
    static func member(_ base: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-" || $0 == "$")
        }
        if plain { return base + "." + key }
        var quoted = ""
        JSONValue.writeString(key, to: &quoted)
        return base + "[" + quoted + "]"
    }

    static func index(_ base: String, _ i: Int) -> String { base + "[\(i)]" }
}

/// A reason an operand was rejected, before it is placed at a JSON path.
struct OperandError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
