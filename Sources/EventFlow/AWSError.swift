/// An error as the AWS APIs return it: the exception name (with the HTTP status it is sent
/// with) and the message. Every module of EventFlow throws this one type.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exception names EventFlow raises, exactly as AWS spells them.
    public enum Code: String, Sendable, CaseIterable {
        // Lambda
        case invalidParameterValue = "InvalidParameterValueException"
        case resourceNotFound = "ResourceNotFoundException"
        case resourceConflict = "ResourceConflictException"
        case requestEntityTooLarge = "RequestEntityTooLargeException"
        case tooManyRequests = "TooManyRequestsException"
        case validation = "ValidationException"
        // EventBridge
        case resourceAlreadyExists = "ResourceAlreadyExistsException"
        case limitExceeded = "LimitExceededException"
        case invalidEventPattern = "InvalidEventPatternException"
        /// PutEvents entry errors (in the entry's ErrorCode, never thrown for the request).
        case invalidArgument = "InvalidArgument"
        case malformedDetail = "MalformedDetail"
        // Kinesis, DynamoDB
        case resourceInUse = "ResourceInUseException"
        // SQS
        case sqsInvalidParameterValue = "InvalidParameterValue"
        case queueAlreadyExists = "QueueAlreadyExists"
        // SNS
        case snsInvalidParameter = "InvalidParameter"
        // Any service: the request could not be completed (EventFlow: its storage failed).
        case internalFailure = "InternalFailure"

        /// The HTTP status AWS answers with.
        public var httpStatus: Int {
            switch self {
            case .resourceNotFound: return 404
            case .resourceConflict: return 409
            case .requestEntityTooLarge: return 413
            case .tooManyRequests: return 429
            case .internalFailure: return 500
            default: return 400
            }
        }
    }

    public var code: Code
    public var message: String
    /// Lambda's `Reason` on throttling (`ReservedFunctionConcurrentInvocationLimitExceeded`, ...).
    public var reason: String?

    public init(_ code: Code, _ message: String, reason: String? = nil) {
        self.code = code
        self.message = message
        self.reason = reason
    }

    /// The exception name, e.g. "ResourceNotFoundException".
    public var type: String { code.rawValue }
    public var httpStatus: Int { code.httpStatus }
    public var description: String { "\(type): \(message)" }
}

/// The errors of the Lambda-style API (a name kept for existing code).
public typealias LambdaError = AWSError
/// The errors of the EventBridge-style API (a name kept for existing code).
public typealias EventBusError = AWSError

extension AWSError {
    static func invalidParameter(_ m: String) -> AWSError { AWSError(.invalidParameterValue, m) }
    static func notFound(_ m: String) -> AWSError { AWSError(.resourceNotFound, m) }
    static func validation(_ value: String, _ field: String, _ constraint: String) -> AWSError {
        AWSError(
            .validation,
            "1 validation error detected: Value '\(value)' at '\(field)' failed to satisfy constraint: \(constraint)")
    }
    static func tooLarge(_ bytes: Int, limit: Int) -> AWSError {
        AWSError(.requestEntityTooLarge, "\(bytes) byte payload is too large for the Event invocation type (limit \(limit) bytes)")
    }
    /// A synchronous request over the 6 MB limit (Lambda's text for RequestResponse).
    static func syncTooLarge(_ bytes: Int, limit: Int) -> AWSError {
        AWSError(
            .requestEntityTooLarge,
            "Request must be smaller than \(limit) bytes for the InvokeFunction operation")
    }
    /// No concurrency left for a synchronous invocation.
    static func throttled(reserved: Bool) -> AWSError {
        AWSError(
            .tooManyRequests, "Rate Exceeded.",
            reason: reserved ? "ReservedFunctionConcurrentInvocationLimitExceeded" : "ConcurrentInvocationLimitExceeded")
    }
    static func messageTooLong(bytes: Int, limit: Int) -> AWSError {
        AWSError(
            .sqsInvalidParameterValue,
            "One or more parameters are invalid. Reason: Message must be shorter than \(limit) bytes. (\(bytes) bytes)")
    }
}
