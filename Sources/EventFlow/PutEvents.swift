/// One entry of a PutEvents request.
public struct PutEventsEntry: Sendable, Equatable {
    public var source: String?
    public var detailType: String?
    /// The detail as JSON text; it must be a JSON object.
    public var detail: String?
    public var resources: [String]
    public var time: String?

    public init(source: String?, detailType: String?, detail: String?, resources: [String] = [], time: String? = nil) {
        self.source = source
        self.detailType = detailType
        self.detail = detail
        self.resources = resources
        self.time = time
    }

    /// PutEvents' size rule: 14 bytes when Time is set, plus the UTF-8 bytes of Source,
    /// DetailType, Detail and each Resource.
    var size: Int {
        (time == nil ? 0 : 14) + (source?.utf8.count ?? 0) + (detailType?.utf8.count ?? 0) + (detail?.utf8.count ?? 0)
            + resources.reduce(0) { $0 + $1.utf8.count }
    }
}

/// PutEvents' answer: one result per entry, in request order.
public struct PutEventsResponse: Sendable, Equatable {
    public var failedEntryCount: Int
    public var entries: [Entry]

    public init(failedEntryCount: Int, entries: [Entry]) {
        self.failedEntryCount = failedEntryCount
        self.entries = entries
    }

    public enum Entry: Sendable, Equatable {
        case accepted(eventId: String)
        case failed(errorCode: String, errorMessage: String)
    }
}


extension PutEventsEntry {
    /// An entry whose detail is `detail` encoded as JSON.
    public init<Detail: Encodable>(
        source: String, detailType: String, encoding detail: Detail, resources: [String] = [], time: String? = nil
    ) throws {
        let text = try JSONBridge.encode(detail).jsonText
        self.init(source: source, detailType: detailType, detail: text, resources: resources, time: time)
    }
}
