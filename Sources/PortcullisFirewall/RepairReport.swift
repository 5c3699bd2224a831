/// What one `reconcile` found and did: whether the kernel differed from the desired state,
/// how many elements were put back, whether tables/chains/sets/rules were rebuilt.
public struct RepairReport: Sendable, CustomStringConvertible, Equatable {
    /// Whether anything was written to the kernel.
    public var repaired: Bool
    /// Elements added back (missing from the kernel, or all of a rebuilt set's).
    public var restoredElements: Int
    /// Elements removed from the kernel because they are not desired (expired, unbanned).
    public var removedElements: Int
    /// Whether structure (table, chain, set, rule, whitelist) was rebuilt.
    public var restoredStructure: Bool
    /// Seconds the check and repair took.
    public var duration: Double

    public init(repaired: Bool = false, restoredElements: Int = 0, removedElements: Int = 0,
                restoredStructure: Bool = false, duration: Double = 0) {
        self.repaired = repaired
        self.restoredElements = restoredElements
        self.removedElements = removedElements
        self.restoredStructure = restoredStructure
        self.duration = duration
    }

    public var description: String {
        guard repaired else { return "firewall in sync (checked in \(Self.milliseconds(duration)))" }
        var parts: [String] = []
        if restoredStructure { parts.append("structure rebuilt") }
        parts.append("\(restoredElements) element(s) restored")
        if removedElements > 0 { parts.append("\(removedElements) stale element(s) removed") }
        return "firewall repaired: " + parts.joined(separator: ", ") + " in \(Self.milliseconds(duration))"
    }

    private static func milliseconds(_ seconds: Double) -> String {
        "\(Int((seconds * 1000).rounded())) ms"
    }
}
