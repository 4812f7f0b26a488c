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

    public init(
        version: String = "0", id: String, detailType: String, source: String, account: String = "123456789012",
        time: String, region: String = "us-east-1", resources: [String] = [], detail: Detail
    ) {
        self.version = version
        self.id = id
        self.detailType = detailType
        self.source = source
        self.account = account
        self.time = time
        self.region = region
        self.resources = resources
        self.detail = detail
    }
}

/// The `requestContext` of an invocation record.
public struct RequestContext: Codable, Sendable, Equatable {
    public var requestId: String
    public var functionArn: String
    /// "Success", "RetriesExhausted", "EventAgeExceeded" or "ZeroReservedConcurrency".
    public var condition: String
    public var approximateInvokeCount: Int

    public init(requestId: String, functionArn: String, condition: String, approximateInvokeCount: Int) {
        self.requestId = requestId
        self.functionArn = functionArn
        self.condition = condition
        self.approximateInvokeCount = approximateInvokeCount
    }
}

/// The `responseContext` of an invocation record.
public struct ResponseContext: Codable, Sendable, Equatable {
    public var statusCode: Int
    public var executedVersion: String
    /// "Handled" or "Unhandled" on failure.
    public var functionError: String?

    public init(statusCode: Int = 200, executedVersion: String = "$LATEST", functionError: String? = nil) {
        self.statusCode = statusCode
        self.executedVersion = executedVersion
        self.functionError = functionError
    }
}

/// The error object a failed invocation returns.
public struct ErrorResponse: Codable, Sendable, Equatable {
    public var errorMessage: String
    public var errorType: String
    public var stackTrace: [String]

    public init(errorMessage: String, errorType: String, stackTrace: [String] = []) {
        self.errorMessage = errorMessage
        self.errorType = errorType
        self.stackTrace = stackTrace
    }
}

/// The record of a successful asynchronous invocation.
public struct SuccessRecord<Payload: Codable & Sendable, Response: Codable & Sendable>: Codable, Sendable {
    public var version: String
    public var timestamp: String
    public var requestContext: RequestContext
    public var requestPayload: Payload
    public var responseContext: ResponseContext
    public var responsePayload: Response

    public init(
        version: String = "1.0", timestamp: String, requestContext: RequestContext, requestPayload: Payload,
        responseContext: ResponseContext = ResponseContext(), responsePayload: Response
    ) {
        self.version = version
        self.timestamp = timestamp
        self.requestContext = requestContext
        self.requestPayload = requestPayload
        self.responseContext = responseContext
        self.responsePayload = responsePayload
    }
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

    public init(
        version: String = "1.0", timestamp: String, requestContext: RequestContext, requestPayload: Payload,
        responseContext: ResponseContext? = nil, responsePayload: ErrorResponse? = nil
    ) {
        self.version = version
        self.timestamp = timestamp
        self.requestContext = requestContext
        self.requestPayload = requestPayload
        self.responseContext = responseContext
        self.responsePayload = responsePayload
    }
}

extension Event: Equatable where Detail: Equatable {}
extension SuccessRecord: Equatable where Payload: Equatable, Response: Equatable {}
extension FailureRecord: Equatable where Payload: Equatable {}
