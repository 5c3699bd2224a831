/// Reads `action.d/<name>` for one jail (fail2ban's `ActionReader`): the jail's options are the
/// interpolation context, `action = name[opt=…]` options override `[Init]`, and `name`/`actname`
/// default to the jail's name and the action's file name.
public struct ActionReader {
    /// fail2ban's `ActionReader._configOpts`, in its order.
    public static let definitionOptionNames = ["actionstart", "actionstart_on_demand", "actionstop", "actionflush",
        "actionreload", "actioncheck", "actionrepair", "actionrepair_on_unban", "actionban", "actionprolong",
        "actionreban", "actionunban", "norestored"]
    static let booleanOptions: Set<String> = ["actionstart_on_demand", "actionrepair_on_unban", "norestored"]
    /// Tags fail2ban never substitutes while reading (escaped or dynamic at ban time).
    public static let ignoredTags: Set<String> = ["matches", "ipmatches", "ipjailmatches", "timeout", "bantime"]

    public let name: String
    public let actionName: String
    var reader: DefinitionInitReader

    public init(name: String, options: OrderedOptions, jailName: String, configDirectory: String,
                reference: SourceLocation? = nil, cache: IniFileCache = IniFileCache()) throws {
        var options = options
        let instance = options["name"] ?? jailName
        options["name"] = instance
        var actname = options["actname"] ?? name
        if options["actname"] == nil {
            if instance != jailName {
                actname += instance.hasPrefix(jailName) ? String(instance.dropFirst(jailName.count)) : "-" + instance
            }
            options["actname"] = actname
        }
        self.name = name
        self.actionName = actname
        guard let reader = try DefinitionInitReader(
            subdirectory: "action.d", name: name, jailName: jailName, initOptions: options,
            configDirectory: configDirectory, configOptionNames: Self.definitionOptionNames, cache: cache)
        else {
            throw NameSuggestions.notFound("action", name, jail: jailName, configDirectory: configDirectory, at: reference)
        }
        self.reader = reader
    }

    public var file: String { reader.file }

    /// Reads `[Definition]` with the jail's options as interpolation context.
    public mutating func readOptions(jailOptions: OrderedOptions) throws {
        try reader.readOptions(jailOptions)
    }

    /// The resolved action.
    public mutating func definition() throws -> ActionDefinition {
        let resolved = try reader.combined(ignore: Self.ignoredTags)
        var commands = OrderedOptions()
        var flags: [String: Bool] = [:]
        for (option, value) in resolved where Self.definitionOptionNames.contains(option) {
            if Self.booleanOptions.contains(option) {
                flags[option] = JailReader.asBool(value)
            } else {
                commands[option] = value
            }
        }
        var initValues = OrderedOptions()
        for (option, value) in reader.initOptions where !Self.definitionOptionNames.contains(option) && !option.hasPrefix("known/") {
            initValues[option] = value
        }
        return ActionDefinition(name: name, actionName: actionName, jailName: reader.jailName, file: reader.file,
                                commands: commands, flags: flags, initOptions: initValues, options: resolved)
    }
}
