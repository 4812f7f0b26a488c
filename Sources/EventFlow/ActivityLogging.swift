import Logging

extension Activity {
    /// The step as log metadata, so one event, message or invocation can be followed through
    /// the logs: the resource by kind and name (`function` with its `qualifier`, `queue`, `bus`
    /// and `rule`, `topic`, `stream`), the id under what it is (`requestId` for functions,
    /// `messageId` for queues and topics, `eventId` for buses), and the step's details.
    var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        let name = Self.resourceName(resource)
        switch Self.service(resource) {
        case "lambda":
            // function:NAME or function:NAME:QUALIFIER
            let parts = name.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count >= 2 { metadata["function"] = "\(parts[1])" }
            if parts.count >= 3 { metadata["qualifier"] = "\(parts[2...].joined(separator: ":"))" }
            metadata["requestId"] = "\(id)"
        case "sqs":
            metadata["queue"] = "\(name)"
            metadata["messageId"] = "\(id)"
        case "sns":
            metadata["topic"] = "\(name)"
            metadata["messageId"] = "\(id)"
        case "events":
            // event-bus/NAME, rule/NAME (default bus) or rule/BUS/NAME
            let parts = name.split(separator: "/")
            if parts.first == "event-bus", parts.count == 2 { metadata["bus"] = "\(parts[1])" }
            if parts.first == "rule" { metadata["bus"] = parts.count == 3 ? "\(parts[1])" : "default" }
            metadata["eventId"] = "\(id)"
        case "kinesis", "dynamodb":
            metadata["stream"] = "\(name)"
            metadata["id"] = "\(id)"
        default:
            metadata["resource"] = "\(resource)"
            metadata["id"] = "\(id)"
        }
        if let rule { metadata["rule"] = "\(rule)" }
        if let target { metadata["target"] = "\(target)" }
        if let attempt { metadata["attempt"] = "\(attempt)" }
        if let result { metadata["result"] = "\(result)" }
        if let reason { metadata["reason"] = "\(reason)" }
        return metadata
    }

    /// `lambda` of `arn:aws:lambda:REGION:ACCOUNT:…`.
    private static func service(_ arn: String) -> Substring {
        let parts = arn.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        return parts.count > 2 ? parts[2] : ""
    }

    /// What follows `arn:aws:SERVICE:REGION:ACCOUNT:`.
    private static func resourceName(_ arn: String) -> Substring {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 ? parts[5] : Substring(arn)
    }
}
