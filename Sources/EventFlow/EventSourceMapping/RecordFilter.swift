import EventPatterns

/// A mapping's `FilterCriteria`: every filter pattern compiled into one matcher; a record is
/// kept when any pattern matches the record's filter view.
struct RecordFilter: Sendable {
    enum Source: Sendable {
        case sqs
        case kinesis
        case dynamodb

        init(_ kind: DataStream.Kind) { self = kind == .kinesis ? .kinesis : .dynamodb }

        /// The key under which a record's own data is matched.
        var dataKey: String {
            switch self {
            case .sqs: return "body"
            case .kinesis: return "data"
            case .dynamodb: return "dynamodb"
            }
        }
    }

    let matcher: EventMatcher

    init(patterns: [String], source: Source) throws(LambdaError) {
        let matcher = EventMatcher()
        for (i, text) in patterns.enumerated() {
            let pattern: EventPattern
            do { pattern = try EventPattern(text) } catch { throw .invalidParameter("Invalid filter pattern definition.") }
            // Stream data is matched as JSON only: a plain-text data pattern is rejected up front.
            if source != .sqs, let data = pattern.json[source.dataKey], data.objectMembers == nil {
                throw .invalidParameter("Invalid filter pattern definition.")
            }
            matcher.addRule(String(i), pattern: pattern)
        }
        self.matcher = matcher
    }

    func keeps(_ view: JSONValue) -> Bool { !matcher.matches(event: view).isEmpty }

    /// What SQS filters see: the record with a JSON body parsed in place; a plain-text body
    /// stays a string, so a JSON `body` pattern never matches it (and the reverse), and the
    /// message is dropped, as Lambda does.
    static func sqsView(_ record: JSONValue) -> JSONValue {
        guard case .object(var members) = record, let i = members.firstIndex(where: { $0.key == "body" }),
            let body = members[i].value.stringValue, let parsed = parseContainer(body)
        else { return record }
        members[i].value = parsed
        return .object(members)
    }

    /// What Kinesis filters see: the `kinesis` fields at the top level with `data` decoded from
    /// base64 and parsed as JSON where it is JSON.
    static func kinesisView(_ record: JSONValue, data: [UInt8]) -> JSONValue {
        guard case .object(var members)? = record["kinesis"] else { return record }
        if let i = members.firstIndex(where: { $0.key == "data" }) {
            members[i].value = parseContainer(String(decoding: data, as: UTF8.self)) ?? members[i].value
        }
        return .object(members)
    }

    private static func parseContainer(_ text: String) -> JSONValue? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        switch value {
        case .object, .array: return value
        default: return nil
        }
    }
}
