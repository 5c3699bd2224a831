/// The few Python operations the beautifier performs on replies — iterate, `len`, `str.join`,
/// string `+` — with Python's rules (a string iterates its characters, a dict its keys), and
/// a `TypeError`-like failure when Python would raise one.
struct PythonTypeError: Error {}

enum PythonSequence {
    /// `list(value)`.
    static func items(_ value: ControlValue) throws(PythonTypeError) -> [ControlValue] {
        switch value {
        case .list(let items): return items
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        case .dict(let entries): return entries.map { .string($0.0) }
        default: throw PythonTypeError()
        }
    }

    /// The value as a `str` operand of `+` or `join`.
    static func string(_ value: ControlValue) throws(PythonTypeError) -> String {
        guard case .string(let text) = value else { throw PythonTypeError() }
        return text
    }

    /// `separator.join(value)`.
    static func join(_ separator: String, _ value: ControlValue) throws(PythonTypeError) -> String {
        var parts: [String] = []
        for item in try items(value) { parts.append(try string(item)) }
        return parts.joined(separator: separator)
    }

    /// `value[index]` for a sequence.
    static func element(_ value: ControlValue, _ index: Int) throws(PythonTypeError) -> ControlValue {
        let all = try items(value)
        guard index < all.count else { throw PythonTypeError() }
        return all[index]
    }
}
