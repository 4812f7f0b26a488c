import EventPatterns

/// A JUnit XML report of fixture results: a testsuite per fixture file (in the order the files
/// came), a testcase per case, a failure element with the reason on failed cases.
struct JUnitReport {
    let results: [(PatternFixture, PatternFixture.Outcome)]

    init(_ results: [(PatternFixture, PatternFixture.Outcome)]) { self.results = results }

    var xml: String {
        var files: [String] = []
        var byFile: [String: [(PatternFixture, PatternFixture.Outcome)]] = [:]
        for r in results {
            if byFile[r.0.file] == nil { files.append(r.0.file) }
            byFile[r.0.file, default: []].append(r)
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites tests=\"\(results.count)\" failures=\"\(Self.failures(results))\">\n"
        for file in files {
            let suite = byFile[file]!
            out += "  <testsuite name=\"\(Self.escape(file))\" tests=\"\(suite.count)\" failures=\"\(Self.failures(suite))\">\n"
            for (c, outcome) in suite {
                let head = "    <testcase classname=\"\(Self.escape(file))\" name=\"\(Self.escape(c.name))\""
                if let failure = outcome.failure {
                    out += head + ">\n      <failure message=\"\(Self.escape(failure))\"/>\n    </testcase>\n"
                } else {
                    out += head + "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    static func failures(_ results: [(PatternFixture, PatternFixture.Outcome)]) -> Int {
        results.filter { !$0.1.passed }.count
    }

    /// Text for an XML attribute value: markup characters and line breaks as references; the
    /// control characters XML 1.0 cannot hold at all become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
