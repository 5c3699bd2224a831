/// An action as a jail uses it: its commands with `%(…)s` and static `<tag>`s resolved from the
/// jail and the action's `[Init]`, while run-time tags (`<ip>`, `<time>`, `<matches>`, `<F-USER>`,
/// `<bantime>`…) are left for the engine. Conditional values (`blocktype?family=inet6`) are kept
/// in `initOptions` so the engine can pick the family at run time.
public struct ActionDefinition: Sendable, Equatable {
    /// The action file's name (`iptables-multiport`).
    public var name: String
    /// The unique name within the jail (`actname`: `iptables-multiport`, or `…-tcp` variants).
    public var actionName: String
    /// The jail it belongs to.
    public var jailName: String
    /// The main file (`…/action.d/iptables-multiport.conf`).
    public var file: String
    /// `actionstart`, `actionstop`, `actioncheck`, `actionban`, `actionunban`, `actionflush`,
    /// `actionrepair`, `actionreload`, `actionprolong`, `actionreban` — those defined, in fail2ban's order.
    public var commands: OrderedOptions
    /// `actionstart_on_demand`, `actionrepair_on_unban`, `norestored` when set.
    public var flags: [String: Bool]
    /// The caller's options and `[Init]` values (raw, as fail2ban passes them to the server),
    /// including `timeout`, `name`, `actname` and conditional `opt?family=…` entries.
    public var initOptions: OrderedOptions
    /// Every resolved option.
    public var options: OrderedOptions

    public var actionStart: String? { commands["actionstart"] }
    public var actionBan: String? { commands["actionban"] }
    public var actionUnban: String? { commands["actionunban"] }
    public var actionFlush: String? { commands["actionflush"] }

    public init(name: String, actionName: String, jailName: String, file: String, commands: OrderedOptions,
                flags: [String: Bool], initOptions: OrderedOptions, options: OrderedOptions) {
        self.name = name
        self.actionName = actionName
        self.jailName = jailName
        self.file = file
        self.commands = commands
        self.flags = flags
        self.initOptions = initOptions
        self.options = options
    }
}

/// A jail's `action = something.py[…]`: fail2ban loads Python code here, which Portcullis does not
/// run. Recognised and reported instead of failing obscurely.
public struct PythonActionReference: Sendable, Equatable {
    public var name: String
    public var path: String
    public var options: OrderedOptions
}
