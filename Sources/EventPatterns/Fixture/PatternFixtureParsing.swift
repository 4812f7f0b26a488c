extension PatternFixture {
    /// Why a fixture file cannot be used: the file, the case (when one case is at fault) and
    /// what is wrong.
    public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: String
        /// The index of the faulty case, from 0; nil when the file as a whole is at fault.
        public var caseIndex: Int?
        public var reason: String

        public init(file: String, caseIndex: Int? = nil, reason: String) {
            self.file = file
            self.caseIndex = caseIndex
            self.reason = reason
        }

        /// `<file>: case <i>: <reason>` or `<file>: <reason>`.
        public var description: String {
            guard let caseIndex else { return "\(file): \(reason)" }
            return "\(file): case \(caseIndex): \(reason)"
        }
    }

    /// The cases of one fixture file's JSON (`file` names it in the cases and in errors).
    public static func parse(_ json: JSONValue, file: String) throws(LoadError) -> [PatternFixture] {
        guard case .array(let items) = json else {
            throw LoadError(file: file, reason: "a fixture file must be a JSON array of cases (found \(json.typeName))")
        }
        var cases: [PatternFixture] = []
        for (index, item) in items.enumerated() {
            do {
                cases.append(try parseCase(item, file: file, index: index))
            } catch {
                throw LoadError(file: file, caseIndex: index, reason: error.reason)
            }
        }
        return cases
    }

    private struct CaseError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func parseCase(_ item: JSONValue, file: String, index: Int) throws(CaseError) -> PatternFixture {
        guard case .object = item else { throw CaseError("a case must be a JSON object (found \(item.typeName))") }
        func string(_ key: String) throws(CaseError) -> String? {
            guard let value = item[key] else { return nil }
            guard case .string(let s) = value else { throw CaseError("\"\(key)\" must be a string (found \(value.typeName))") }
            return s
        }
        guard let name = try string("name") else { throw CaseError("missing \"name\"") }
        guard let expectText = try string("expect") else { throw CaseError("missing \"expect\"") }
        guard let expect = Expectation(rawValue: expectText) else {
            throw CaseError("\"expect\" must be \"match\", \"no-match\" or \"invalid\" (found \(JSONValue.string(expectText).jsonText))")
        }
        let subject: Subject
        switch (item["pattern"], try string("rule")) {
        case (let pattern?, nil): subject = .pattern(pattern)
        case (nil, let rule?): subject = .rule(rule)
        case (nil, nil): throw CaseError("missing \"pattern\" or \"rule\"")
        case (_?, _?): throw CaseError("has both \"pattern\" and \"rule\"; give one")
        }
        let event = item["event"]
        if event == nil && expect != .invalid { throw CaseError("missing \"event\"") }
        return PatternFixture(
            file: file, index: index, name: name, subject: subject, event: event ?? .null, expect: expect, error: try string("error"))
    }
}
