/// EventBridge's `RuleState`. A disabled rule stays on its bus, with its targets, but matches no
/// event until it is enabled again.
public enum RuleState: String, Sendable, Codable, CaseIterable {
    case enabled = "ENABLED"
    case disabled = "DISABLED"
    /// Routes like `ENABLED` here (EventFlow has no CloudTrail management events).
    case enabledWithAllCloudTrailManagementEvents = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"

    var routes: Bool { self != .disabled }
}

extension EventBus {
    /// `EnableRule`: the rule matches events again; its definition is stored with the state.
    public func enableRule(_ name: String) throws(EventBusError) { try setRuleState(name, .enabled) }

    /// `DisableRule`: the rule matches no event until it is enabled; stored with the state.
    public func disableRule(_ name: String) throws(EventBusError) { try setRuleState(name, .disabled) }

    /// `Description` is at most 512 characters.
    static func checkDescription(_ description: String?) throws(EventBusError) {
        guard let description, description.count > 512 else { return }
        throw AWSError(
            .validation,
            "1 validation error detected: Value '\(description)' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512")
    }
}
