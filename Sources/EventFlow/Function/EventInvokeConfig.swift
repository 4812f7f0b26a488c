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

