import PortcullisConfig

/// Tag substitution with escaping, reusable by other action kinds.
///
/// Two passes, as fail2ban makes them:
/// 1. Static (fail2ban's `replaceTag`): `<port>`, `<chain>`, `<blocktype>`… from the action's options,
///    recursively, preferring `opt?family=inet6` when the family is `inet6`. Trusted: it is config.
/// 2. Run-time (fail2ban's `replaceDynamicTags`): `<ip>`, `<time>`, `<matches>`, `<F-USER>`… from
///    the ban, once, never recursively, every value escaped.
///
/// **Escaping.** fail2ban backslash-escapes `<matches>`, `<ipmatches>` and `<ipjailmatches>` in the
/// static pass, and in the run-time pass moves any value containing one of ``\#&;`|*?~<>^()[]{}$'"``
/// or CR/LF into a positional shell variable referenced as a bare `$f2bV_tag`. Portcullis is stricter:
/// - every run-time value (the ban's fields, every `<F-*>` capture, `<ip-host>` from DNS, extra
///   tags, and `<matches>`-like options even when set statically) goes through the same rule;
/// - only text made entirely of `A–Z a–z 0–9 . _ : / @ % + , = -` is placed as is — whitespace, tabs,
///   `!`, non-ASCII and every other character force quoting (fail2ban lets spaces through unquoted,
///   so a value could add arguments);
/// - the variable is assigned in a preamble as one single-quoted literal, and referenced in the
///   form the quoting context needs: `"${v}"` unquoted (no word splitting or globbing, where
///   fail2ban's bare `$v` splits), `${v}` inside `"…"`, `'"${v}"'` inside `'…'` (fail2ban's
///   reference stays literal text there), `${v}` in here-documents, where a literal line could
///   otherwise end the document early;
/// - NUL characters are dropped.
///
/// What no shell quoting can fix: a command that hands a value to a second interpreter
/// (`sh -c "… <F-USER>"`, `eval`, an awk/sed/perl program text) gives it that interpreter's
/// syntax. fail2ban has the same limit; such action files should pass values as arguments instead.
public enum ActionTags {
    /// fail2ban's `_escapedTags`: values taken from log lines.
    public static let escapedTags: Set<String> = ["matches", "ipmatches", "ipjailmatches"]

    /// Both passes; on a self-referencing definition the static tags stay unresolved. An
    /// `<ip-host>` without `info.hostName` is looked up here, blocking (`CommandAction` looks it up
    /// off the cooperative pool first).
    public static func substitute(_ command: String, info: BanInfo?, options: OrderedOptions, family: String) -> String {
        let staticText = (try? StaticTags(options: options, family: family).resolve(command)) ?? command
        return dynamic(staticText, info: info, options: options, family: family).command
    }

    /// The run-time pass over a statically resolved command: the script with its variable
    /// preamble. `info` nil leaves every ban tag in place (only `<family>` is filled).
    static func dynamic(_ command: String, info: BanInfo?, options: OrderedOptions, family: String) -> ShellTagScanner.Output {
        guard command.contains("<") else { return ShellTagScanner.Output(script: command, variables: []) }
        var info = info
        if var ban = info, ban.hostName == nil, command.contains("<ip-host>") {
            ban.hostName = HostNames.reverseLookupBlocking(ban.ip) ?? "None"
            info = ban
        }
        let values = DynamicTagValues(info: info, options: options, family: family)
        return ShellTagScanner.substitute(command) { values.value(for: $0) }
    }

    /// The text of a number as Python's `str()` prints it (`1700000000.0`, `600`).
    static func pythonNumber(_ value: Double) -> String {
        value.isFinite ? "\(value)" : (value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf"))
    }

    /// Tags fail2ban fills from the system when no option or ban value has them.
    static func systemTag(_ name: String) -> String? {
        switch name {
        case "br": "\n"
        case "sp": " "
        case "fq-hostname": HostNames.fullyQualified
        case "sh-hostname": HostNames.short
        default: nil
        }
    }
}

/// A `<tag>` definition that refers to itself (or nests deeper than fail2ban allows).
public struct ActionTagError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
