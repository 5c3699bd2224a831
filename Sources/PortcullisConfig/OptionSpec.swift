import Foundation

/// A reference to a filter or action with options, as written in a jail:
/// `sshd[mode=aggressive]`, `iptables-allports[name=krawl-ban, port=all, protocol=all]`,
/// `threatjammer[threatjammer_apikey="YOUR_API_KEY"]` (quoted values may hold `,` and `]`),
/// several groups `act[a=1][b=2]`. Parsed with fail2ban's own rules (`extractOptions`).
public struct OptionSpec: Sendable, Equatable, CustomStringConvertible {
    /// `sshd` in `sshd[mode=aggressive]` (may be a path ending in `.conf` or `.py`).
    public var name: String
    /// The bracketed options, in order.
    public var options: OrderedOptions

    public init(name: String, options: OrderedOptions = OrderedOptions()) {
        self.name = name
        self.options = options
    }

    public var description: String {
        options.isEmpty ? name : name + "[" + options.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ", ") + "]"
    }

    public struct SyntaxError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    private static let optionRE = try! NSRegularExpression(
        pattern: #"^([^\[]+)(?:\[(.*)\])?\s*$"#, options: [.dotMatchesLineSeparators])
    private static let extractRE = try! NSRegularExpression(
        pattern: #"\s*([\w\-_\.]+)=(?:"([^"]*)"|'([^']*)'|([^,\]]*))(?:,|\]\s*\[|$|(?<wrngA>.+))|,?\s*$|(?<wrngB>.+)"#,
        options: [.dotMatchesLineSeparators])
    private static let splitRE = try! NSRegularExpression(
        pattern: #"(?:[^\[\s]+(?:\s*\[\s*(?:[\w\-_\.]+=(?:"[^"]*"|'[^']*'|[^,\]]*)\s*(?:,|\]\s*\[)?\s*)*\])?\s*|\S+)(?=\n\s*|\s+|$)"#,
        options: [.dotMatchesLineSeparators])

    /// Parses one spec (fail2ban's `extractOptions`). Throws `SyntaxError` on unbalanced brackets
    /// or malformed options; callers wrap it in a `ConfigError` with the jail's `file:line`.
    public static func parse(_ text: String) throws -> OptionSpec {
        let ns = text as NSString
        guard let match = optionRE.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else {
            throw SyntaxError(description: "unexpected option syntax in '\(text)' (unbalanced '[' ']'?)")
        }
        let name = ns.substring(with: match.range(at: 1))
        var options = OrderedOptions()
        let optRange = match.range(at: 2)
        if optRange.location != NSNotFound {
            let optstr = ns.substring(with: optRange)
            let o = optstr as NSString
            for m in extractRE.matches(in: optstr, range: NSRange(location: 0, length: o.length)) {
                let wrongA = m.range(withName: "wrngA"), wrongB = m.range(withName: "wrngB")
                if wrongA.location != NSNotFound {
                    throw SyntaxError(description: "unexpected syntax after option '\(o.substring(with: m.range(at: 1)))' in '\(text)': \(o.substring(with: wrongA).prefix(25))")
                }
                if wrongB.location != NSNotFound {
                    throw SyntaxError(description: "expected option=value in '\(text)', found: \(o.substring(with: wrongB).prefix(25))")
                }
                guard m.range(at: 1).location != NSNotFound else { continue }
                let key = o.substring(with: m.range(at: 1)).trimmingCharacters(in: .whitespacesAndNewlines)
                var value = ""
                for g in 2...4 where m.range(at: g).location != NSNotFound {
                    value = o.substring(with: m.range(at: g))
                    break
                }
                options[key] = value.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return OptionSpec(name: name, options: options)
    }

    /// Splits a multi-line/space-separated list of specs (a jail's `action`), keeping brackets
    /// together even when their options span lines (fail2ban's `splitWithOptions`). Empty entries dropped.
    public static func split(_ text: String) -> [String] {
        let ns = text as NSString
        return splitRE.matches(in: text, range: NSRange(location: 0, length: ns.length))
            .map { ns.substring(with: $0.range).trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    /// fail2ban's `splitwords`: words separated by commas, spaces or new lines (`ignoreip`).
    public static func splitWords(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
