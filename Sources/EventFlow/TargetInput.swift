import EventPatterns

/// What a rule target receives, as EventBridge targets configure it.
public enum TargetInput: Sendable {
    /// The whole event.
    case event
    /// A constant JSON value (`Input`).
    case constant(JSONValue)
    /// Part of the event (`InputPath`, e.g. `$.detail.order`).
    case path(String)
    /// `InputTransformer`: paths into named variables, then a template with `<name>` holes.
    /// The predefined `<aws.events.rule-arn>`, `<aws.events.rule-name>`,
    /// `<aws.events.event.ingestion-time>`, `<aws.events.event>` (the event without `detail`)
    /// and `<aws.events.event.json>` are available too.
    case transformer(pathsMap: [String: String], template: String)

    /// The input for `event`; nil when an `InputPath` selects nothing.
    func render(_ event: JSONValue, ruleName: String, ruleArn: String) -> JSONValue? {
        switch self {
        case .event: return event
        case .constant(let v): return v
        case .path(let p): return JSONPathLookup.value(at: p, in: event)
        case .transformer(let paths, let template):
            var variables: [String: JSONValue] = [
                "aws.events.rule-arn": .string(ruleArn), "aws.events.rule-name": .string(ruleName),
                "aws.events.event.ingestion-time": event["time"] ?? .null,
                "aws.events.event": .object(event.objectMembers?.filter { $0.key != "detail" } ?? []),
                "aws.events.event.json": event,
            ]
            for (name, path) in paths {
                // A path that selects nothing creates no variable.
                if let v = JSONPathLookup.value(at: path, in: event) { variables[name] = v }
            }
            var text = template
            for (name, value) in variables {
                // Strings go in as their text (EventBridge does not escape them); other values as JSON.
                let replacement: String
                if case .string(let s) = value { replacement = s } else { replacement = value.jsonText }
                text = text.replacingOccurrences(of: "<\(name)>", with: replacement)
            }
            return (try? JSONParser.parse(text)) ?? .string(text)
        }
    }
}

/// The JSONPath subset EventBridge input paths use: `$`, `$.a.b`, `$.a[0]`.
enum JSONPathLookup {
    static func value(at path: String, in json: JSONValue) -> JSONValue? {
        guard path.hasPrefix("$") else { return nil }
        var current = json
        var rest = Substring(path.dropFirst())
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let key = rest.prefix { $0 != "." && $0 != "[" }
                rest = rest.dropFirst(key.count)
                guard let next = current[String(key)] else { return nil }
                current = next
            } else if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                guard let index = Int(rest[rest.index(after: rest.startIndex)..<close]), let items = current.arrayValue,
                    items.indices.contains(index)
                else { return nil }
                current = items[index]
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return current
    }
}

import Foundation
