/// What `EventFlowRuntime.restore()` did with the stored definitions.
public struct RestoreReport: Sendable, Equatable {
    /// The definitions applied, in order: `queue jobs`, `stream clicks`, `event bus orders`,
    /// `rule orders/big`, `event invoke config charge:$LATEST`, `event source mapping <UUID>`.
    public var restored: [String] = []
    /// The resources a program created before `restore()` (their own settings stay).
    public var alreadyPresent: [String] = []
    /// The definitions that stay stored without being applied, and why (most often a function
    /// not registered yet: they are applied once it is).
    public var waiting: [String] = []
    /// Closure targets of restored rules: code, not stored; the program puts them again.
    public var closureTargets: [String] = []

    public init() {}
}
