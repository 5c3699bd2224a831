/// The `status` and `status <jail>` trees:
///
/// ```
/// Status for the jail: sshd
/// |- Filter
/// |  |- Currently failed:<TAB>0
/// |  `- File list:<TAB>/var/log/auth.log
/// `- Actions
///    `- Banned IP list:<TAB>1.2.3.4 5.6.7.8
/// ```
///
/// Values that are lists print space-separated with `str()` of each item; other values print
/// with `str()`.
enum StatusTree {
    /// `status`: a list of `(label, value)` pairs under "Status".
    static func server(_ response: ControlValue) throws(PythonTypeError) -> String {
        var lines = ["Status"]
        let entries = try PythonSequence.items(response)
        for (index, entry) in entries.enumerated() {
            let branch = index == entries.count - 1 ? "`-" : "|-"
            lines.append(try leaf(branch, entry))
        }
        return lines.joined(separator: "\n")
    }

    /// `status <jail> [flavor]`: a list of `(section, [(label, value), …])` pairs.
    static func jail(_ name: String, _ response: ControlValue) throws(PythonTypeError) -> String {
        var lines = ["Status for the jail: \(name)"]
        let sections = try PythonSequence.items(response)
        for (index, section) in sections.enumerated() {
            let isLast = index == sections.count - 1
            lines.append((isLast ? "`- " : "|- ") + PythonText.str(try PythonSequence.element(section, 0)))
            let indent = isLast ? "   " : "|  "
            let entries = try PythonSequence.items(try PythonSequence.element(section, 1))
            for (position, entry) in entries.enumerated() {
                let branch = indent + (position == entries.count - 1 ? "`-" : "|-")
                lines.append(try leaf(branch, entry))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `<branch> <label>:<TAB><value>`.
    private static func leaf(_ branch: String, _ entry: ControlValue) throws(PythonTypeError) -> String {
        let label = PythonText.str(try PythonSequence.element(entry, 0))
        let value = try PythonSequence.element(entry, 1)
        let text: String
        if case .list(let items) = value {
            text = items.map(PythonText.str).joined(separator: " ")
        } else {
            text = PythonText.str(value)
        }
        return "\(branch) \(label):\t\(text)"
    }
}
