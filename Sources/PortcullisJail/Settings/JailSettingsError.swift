import PortcullisConfig

/// A jail option Portcullis cannot act on (a `bantime` that is not a duration, a `bantime.formula`
/// naming something unknown, an `ignoreip` entry that is neither an address, a network nor a host
/// name). It names the option and the offending value, and where it was written when known, so the
/// administrator can fix the line instead of guessing.
public struct JailSettingsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The jail the option belongs to, when known.
    public var jail: String?
    /// The option as written in the jail (`bantime.formula`, `ignoreip`, …).
    public var option: String
    /// The offending value (the whole option, or the one bad `ignoreip` entry).
    public var value: String
    /// What is wrong with it and what would be accepted.
    public var reason: String
    /// Where the option was written, when known.
    public var location: SourceLocation?

    public init(jail: String? = nil, option: String, value: String, reason: String, location: SourceLocation? = nil) {
        self.jail = jail
        self.option = option
        self.value = value
        self.reason = reason
        self.location = location
    }

    /// The same error with the jail and the option's place filled in (kept when already set).
    public func inContext(jail: String?, location: SourceLocation?) -> JailSettingsError {
        var copy = self
        copy.jail = self.jail ?? jail
        copy.location = self.location ?? location
        return copy
    }

    /// `file:line: jail 'sshd': invalid bantime.formula 'ban.Tim * 2': unknown name 'ban.Tim' …`
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        if let jail { text += "jail '\(jail)': " }
        return text + "invalid \(option) '\(value)': \(reason)"
    }
}
