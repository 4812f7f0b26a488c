import EventPatterns

extension LambdaFunction: InvokeConfigRestorable {
    func validate(_ config: EventInvokeConfig, qualifier: String) throws(AWSError) {
        if config.maximumRetryAttempts == nil && config.maximumEventAgeInSeconds == nil && config.onSuccess == nil
            && config.onFailure == nil
        {
            throw .invalidParameter("You must specify at least one of error handling or destination setting.")
        }
        if let r = config.maximumRetryAttempts {
            if r > 2 { throw .validation(String(r), "maximumRetryAttempts", "Member must have value less than or equal to 2") }
            if r < 0 { throw .validation(String(r), "maximumRetryAttempts", "Member must have value greater than or equal to 0") }
        }
        if let a = config.maximumEventAgeInSeconds {
            if a > 21_600 {
                throw .validation(String(a), "maximumEventAgeInSeconds", "Member must have value less than or equal to 21600")
            }
            if a < 60 { throw .validation(String(a), "maximumEventAgeInSeconds", "Member must have value greater than or equal to 60") }
        }
        for d in [config.onSuccess, config.onFailure].compactMap({ $0 }) {
            if case .function(let f, _) = d, f.functionArn == functionArn {
                throw .invalidParameter("You can't specify the function as a destination for itself.")
            }
        }
        _ = try resolve(qualifier)
    }

    /// Replaces the whole configuration of `qualifier` (omitted settings return to defaults)
    /// and stores it, with its destinations by name, for `EventFlowRuntime.restore()`.
    public func putEventInvokeConfig(_ config: EventInvokeConfig, qualifier: String = "$LATEST") throws(AWSError) {
        try validate(config, qualifier: qualifier)
        try storeEventInvokeConfig(config, qualifier: qualifier)
        invokeConfigs[qualifier] = config
    }

    private func storeEventInvokeConfig(_ config: EventInvokeConfig, qualifier: String) throws(AWSError) {
        try runtime.saveDefinition(
            .eventInvokeConfig, key: InvokeConfigDefinition.key(function: name, qualifier: qualifier),
            InvokeConfigDefinition(function: name, qualifier: qualifier, config: config))
    }

    /// A stored config, applied by `restore()` unless the program set one for `qualifier` first.
    func restoreEventInvokeConfig(_ config: EventInvokeConfig, qualifier: String) throws(AWSError) -> Bool {
        guard invokeConfigs[qualifier] == nil else { return false }
        try validate(config, qualifier: qualifier)
        invokeConfigs[qualifier] = config
        return true
    }

    /// Merges the given top-level settings into the existing configuration; fails when none exists.
    public func updateEventInvokeConfig(
        maximumRetryAttempts: Int? = nil, maximumEventAgeInSeconds: Int? = nil, onSuccess: Destination? = nil,
        onFailure: Destination? = nil, qualifier: String = "$LATEST"
    ) throws(AWSError) {
        guard var config = invokeConfigs[qualifier] else {
            throw .notFound("The function \(functionArn):\(qualifier) doesn't have an EventInvokeConfig")
        }
        if let v = maximumRetryAttempts { config.maximumRetryAttempts = v }
        if let v = maximumEventAgeInSeconds { config.maximumEventAgeInSeconds = v }
        if let v = onSuccess { config.onSuccess = v }
        if let v = onFailure { config.onFailure = v }
        try validate(config, qualifier: qualifier)
        try storeEventInvokeConfig(config, qualifier: qualifier)
        invokeConfigs[qualifier] = config
    }

    public func getEventInvokeConfig(qualifier: String = "$LATEST") throws(AWSError) -> EventInvokeConfig {
        guard let c = invokeConfigs[qualifier] else {
            throw .notFound("The function \(functionArn):\(qualifier) doesn't have an EventInvokeConfig")
        }
        return c
    }

    /// Deletes the configuration of `qualifier` and its stored definition.
    public func deleteEventInvokeConfig(qualifier: String = "$LATEST") throws(AWSError) {
        guard invokeConfigs[qualifier] != nil else {
            throw .notFound("The function \(functionArn):\(qualifier) doesn't have an EventInvokeConfig")
        }
        try runtime.removeDefinition(.eventInvokeConfig, key: InvokeConfigDefinition.key(function: name, qualifier: qualifier))
        invokeConfigs[qualifier] = nil
    }

    public func listEventInvokeConfigs() -> [(qualifier: String, config: EventInvokeConfig)] {
        invokeConfigs.keys.sorted().map { ($0, invokeConfigs[$0]!) }
    }

    /// The configuration as GetFunctionEventInvokeConfig returns it, in AWS's shape.
    public func eventInvokeConfigJSON(qualifier: String = "$LATEST") throws(AWSError) -> JSONValue {
        let c = try getEventInvokeConfig(qualifier: qualifier)
        func dest(_ d: Destination?) -> JSONValue { d.map { ["Destination": .string($0.arn)] } ?? .object([]) }
        var members: [JSONMember] = [JSONMember("FunctionArn", .string("\(functionArn):\(qualifier)"))]
        if let r = c.maximumRetryAttempts { members.append(JSONMember("MaximumRetryAttempts", .number(JSONNumber(r)))) }
        if let a = c.maximumEventAgeInSeconds { members.append(JSONMember("MaximumEventAgeInSeconds", .number(JSONNumber(a)))) }
        members.append(JSONMember("DestinationConfig", ["OnSuccess": dest(c.onSuccess), "OnFailure": dest(c.onFailure)]))
        return .object(members)
    }
}
