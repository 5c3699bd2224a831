import PortcullisConfig

/// The static pass of `ActionTags` for one family (fail2ban's `replaceTag` over the action's
/// properties): options substituted into each other once, then into commands, recursively.
/// Built once per family and property set; `CommandAction` keeps them until a property changes.
public struct StaticTags: Sendable {
    /// `family=inet6`, or "" when no family applies.
    public let conditional: String
    let resolved: OrderedOptions

    public init(options: OrderedOptions, family: String) throws(ActionTagError) {
        conditional = family.isEmpty ? "" : "family=" + family
        do {
            resolved = try TagSubstitution.substituteRecursiveTags(options, conditional: conditional, ignore: ActionTags.escapedTags)
        } catch {
            throw ActionTagError(message: "\(error)")
        }
    }

    /// The option's value for this family: `name?family=inet6` before `name`.
    public func value(_ name: String) -> String? {
        if !conditional.isEmpty, let value = resolved[name + "?" + conditional] { return value }
        return resolved[name]
    }

    /// `command` with every option tag (and `<br>`, `<sp>`, `<fq-hostname>`, `<sh-hostname>`)
    /// replaced until nothing changes; run-time and unknown tags stay.
    public func resolve(_ command: String) throws(ActionTagError) -> String {
        var text = command
        for _ in 0...TagSubstitution.maxReplaceCount {
            guard text.contains("<") else { return text }
            let next = replaceOnce(text)
            if next == text { return next }
            text = next
        }
        throw ActionTagError(message: "unexpected too long replacement interpolation, possible self referencing definitions in query: \(command)")
    }

    private func replaceOnce(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            var end = rest.index(after: open)
            while end < rest.endIndex, rest[end] != " ", rest[end] != "<", rest[end] != ">" { end = rest.index(after: end) }
            guard end < rest.endIndex, rest[end] == ">", end > rest.index(after: open) else {
                result += rest[open..<end]
                rest = rest[end...]
                continue
            }
            let name = String(rest[rest.index(after: open)..<end])
            if !ActionTags.escapedTags.contains(name), let value = value(name) ?? ActionTags.systemTag(name) {
                result += value
            } else {
                result += rest[open...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
