/// An EventBridge event with a typed `detail`, as rules deliver it.
public struct Event<Detail: Codable & Sendable>: Codable, Sendable {
    public var version: String
    public var id: String
    public var detailType: String
    public var source: String
    public var account: String
    public var time: String
    public var region: String
    public var resources: [String]
    public var detail: Detail

    enum CodingKeys: String, CodingKey {
        case version, id, detailType = "detail-type", source, account, time, region, resources, detail
    }
}

/// The `requestContext` of an invocation record.
public struct RequestContext: Codable, Sendable, Equatable {
    public var requestId: String
    public var functionArn: String
    /// "Success", "RetriesExhausted", "EventAgeExceeded" or "ZeroReservedConcurrency".
    public var condition: String
    public var approximateInvokeCount: Int
}

/// The `responseContext` of an invocation record.
public struct ResponseContext: Codable, Sendable, Equatable {
    public var statusCode: Int
    public var executedVersion: String
    /// "Handled" or "Unhandled" on failure.
    public var functionError: String?
}

/// The error object a failed invocation returns.
public struct ErrorResponse: Codable, Sendable, Equatable {
    public var errorMessage: String
    public var errorType: String
    public var stackTrace: [String]
}

/// The record of a successful asynchronous invocation.
public struct SuccessRecord<Payload: Codable & Sendable, Response: Codable & Sendable>: Codable, Sendable {
    public var version: String
    public var timestamp: String
    public var requestContext: RequestContext
    public var requestPayload: Payload
    public var responseContext: ResponseContext
    public var responsePayload: Response
}

/// The record of a failed asynchronous invocation. `responseContext` and `responsePayload` are
/// absent for `ZeroReservedConcurrency`.
public struct FailureRecord<Payload: Codable & Sendable>: Codable, Sendable {
    public var version: String
    public var timestamp: String
    public var requestContext: RequestContext
    public var requestPayload: Payload
    public var responseContext: ResponseContext?
    public var responsePayload: ErrorResponse?
}
