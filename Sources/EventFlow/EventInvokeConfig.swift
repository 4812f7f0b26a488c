/// Error handling and destinations for asynchronous invocations of one qualifier.
public struct EventInvokeConfig: Sendable {
    /// 0...2; nil means the default, 2.
    public var maximumRetryAttempts: Int?
    /// 60...21600 seconds; nil means the default, 21600 (6 hours).
    public var maximumEventAgeInSeconds: Int?
    public var onSuccess: Destination?
    public var onFailure: Destination?

    public init(
        maximumRetryAttempts: Int? = nil, maximumEventAgeInSeconds: Int? = nil, onSuccess: Destination? = nil,
        onFailure: Destination? = nil
    ) {
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
        self.onSuccess = onSuccess
        self.onFailure = onFailure
    }

    public static let defaultRetryAttempts = 2
    public static let defaultMaximumEventAge = 21_600

    var retryAttempts: Int { maximumRetryAttempts ?? Self.defaultRetryAttempts }
    var maximumEventAge: Int { maximumEventAgeInSeconds ?? Self.defaultMaximumEventAge }
}

/// Lambda API errors, with AWS's types and messages.
public struct LambdaError: Error, Sendable, Equatable, CustomStringConvertible {
    public var type: String
    public var message: String
    public var description: String { "\(type): \(message)" }

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    static func invalidParameter(_ m: String) -> LambdaError { LambdaError(type: "InvalidParameterValueException", message: m) }
    static func notFound(_ m: String) -> LambdaError { LambdaError(type: "ResourceNotFoundException", message: m) }
    static func validation(_ value: String, _ field: String, _ constraint: String) -> LambdaError {
        LambdaError(
            type: "ValidationException",
            message: "1 validation error detected: Value '\(value)' at '\(field)' failed to satisfy constraint: \(constraint)")
    }
    static func tooLarge(_ bytes: Int, limit: Int) -> LambdaError {
        LambdaError(
            type: "RequestEntityTooLargeException",
            message: "\(bytes) byte payload is too large for the Event invocation type (limit \(limit) bytes)")
    }
}
