/// Replaces run-time `<tag>`s in a shell command, tracking the shell's quoting context at each tag
/// so a value that needs quoting is referenced in the form that context expects (see `ShellQuoting`).
///
/// The scanner knows POSIX sh's lexical contexts: unquoted words, `'…'`, `"…"`, `$(…)`, `(…)`,
/// backquotes, `${…}`, `$((…))`, comments and here-documents (quoted or not). Its reading only
/// decides how faithful the text is: every form it emits is a parameter expansion or plain text,
/// which no context executes, so a misread context can at worst split or mangle a value, never run it.
struct ShellTagScanner {
    /// A value for one tag, and the variable name to use when it needs quoting.
    struct Value {
        var text: String
        var variable: String
    }

    /// The command with its tags replaced, and the variables it refers to (in first-use order).
    struct Output {
        var script: String
        var variables: [(name: String, value: String)]

        /// `script` preceded by the variables' assignments, ready for `/bin/sh -c`.
        var command: String {
            guard !variables.isEmpty else { return script }
            let assignments = variables.map { "\($0.name)=\(ShellQuoting.singleQuoted($0.value))" }
            return assignments.joined(separator: " ") + "\n" + script
        }
    }

    private enum CodeKind { case top, dollarParen, paren, backquote }

    private struct HereDocument {
        var delimiter: [UInt8]
        var stripTabs: Bool
        var quoted: Bool
    }

    private enum Frame {
        case code(CodeKind)
        case single
        case double
        case parameter(inDouble: Bool)
        case arithmetic(depth: Int)
        case comment
        case hereDocument(HereDocument)
    }

    private let bytes: [UInt8]
    private let lookup: (String) -> Value?
    private var output: [UInt8] = []
    private var variables: [(name: String, value: String)] = []
    private var variableIndex: [String: Int] = [:]
    private var stack: [Frame] = [.code(.top)]
    private var pendingHereDocuments: [HereDocument] = []
    private var atLineStart = false
    private var i = 0

    /// Replaces every `<name>` for which `lookup` has a value; other tags stay as they are.
    static func substitute(_ command: String, lookup: @escaping (String) -> Value?) -> Output {
        guard command.utf8.contains(UInt8(ascii: "<")) else { return Output(script: command, variables: []) }
        var scanner = ShellTagScanner(bytes: Array(command.utf8), lookup: lookup)
        scanner.run()
        return Output(script: String(decoding: scanner.output, as: UTF8.self), variables: scanner.variables)
    }

    private init(bytes: [UInt8], lookup: @escaping (String) -> Value?) {
        self.bytes = bytes
        self.lookup = lookup
        output.reserveCapacity(bytes.count + 64)
    }

    // MARK: - Tags

    /// The tag at `index` (fail2ban's `<([^ <>]+)>`) and its value, if it has one.
    private func tag(at index: Int) -> (end: Int, name: String, value: Value)? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
        var j = index + 1
        while j < bytes.count, bytes[j] != UInt8(ascii: " "), bytes[j] != UInt8(ascii: "<"), bytes[j] != UInt8(ascii: ">") { j += 1 }
        guard j < bytes.count, bytes[j] == UInt8(ascii: ">"), j > index + 1 else { return nil }
        let name = String(decoding: bytes[(index + 1)..<j], as: UTF8.self)
        guard let value = lookup(name) else { return nil }
        return (j + 1, name, value)
    }

    /// Whether `value` may be placed as is where the scanner stands.
    private func isPlainHere(_ value: Value) -> Bool {
        if case .hereDocument(let document)? = stack.last {
            // A line that became the delimiter would end the document early.
            return ShellQuoting.isPlain(value.text) && !contains(document.delimiter, Array(value.text.utf8))
        }
        return value.text.isEmpty || ShellQuoting.isPlain(value.text)
    }

    private mutating func emit(_ value: Value) {
        if isPlainHere(value) {
            output += Array(value.text.utf8)
            return
        }
        let reference = "${" + variable(for: value) + "}"
        let text: String
        switch stack.last ?? .code(.top) {
        case .code: text = "\"" + reference + "\""
        case .single: text = "'\"" + reference + "\"'"
        case .parameter(let inDouble): text = inDouble ? reference : "\"" + reference + "\""
        case .double, .arithmetic, .comment, .hereDocument: text = reference
        }
        output += Array(text.utf8)
    }

    private mutating func variable(for value: Value) -> String {
        var name = value.variable
        var suffix = 1
        while let index = variableIndex[name] {
            if variables[index].value == value.text { return name }
            suffix += 1
            name = value.variable + "_\(suffix)"
        }
        variableIndex[name] = variables.count
        variables.append((name, value.text))
        return name
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle {
            return true
        }
        return false
    }

    // MARK: - Lexing

    private func byte(_ offset: Int) -> UInt8? {
        i + offset < bytes.count ? bytes[i + offset] : nil
    }

    private mutating func copy(_ count: Int = 1) {
        let end = min(i + count, bytes.count)
        output += bytes[i..<end]
        i = end
    }

    /// A backslash and the character it escapes. Before a tag (fail2ban substitutes tags without
    /// regard to shell syntax) the backslash escapes the value's first character: kept before
    /// plain text; before a quoted reference it would escape the reference's own syntax, so it is
    /// dropped where it would only have made that character literal, and written as a literal
    /// backslash where the shell would have kept it. Before an empty value it is dropped.
    private mutating func copyEscape() {
        guard let (_, _, value) = tag(at: i + 1) else {
            copy(2)
            return
        }
        i += 1
        if value.text.isEmpty { return }  // escaping nothing
        guard !isPlainHere(value) else {
            i -= 1
            copy(1)
            return
        }
        let first = value.text.utf8.first
        switch stack.last ?? .code(.top) {
        case .double, .parameter(inDouble: true):
            if let first, [UInt8(ascii: "$"), UInt8(ascii: "`"), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "\n")].contains(first) { return }
            output += Array("\\\\".utf8)
        case .hereDocument:
            if let first, [UInt8(ascii: "$"), UInt8(ascii: "`"), UInt8(ascii: "\\"), UInt8(ascii: "\n")].contains(first) { return }
            output += Array("\\\\".utf8)
        default:
            return
        }
    }

    private mutating func run() {
        while i < bytes.count {
            if case .hereDocument(let document)? = stack.last, atLineStart {
                atLineStart = false
                if endsHereDocument(document) { continue }
            }
            if let (end, _, value) = tag(at: i) {
                emit(value)
                i = end
                continue
            }
            switch stack.last ?? .code(.top) {
            case .code(let kind): lexCode(kind)
            case .single: lexSingle()
            case .double: lexDouble()
            case .parameter(let inDouble): lexParameter(inDouble: inDouble)
            case .arithmetic(let depth): lexArithmetic(depth: depth)
            case .comment: lexComment()
            case .hereDocument(let document): lexHereDocument(document)
            }
        }
    }

    /// At a here-document line's start: copies the line and pops when it is the delimiter.
    private mutating func endsHereDocument(_ document: HereDocument) -> Bool {
        var end = i
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        var start = i
        if document.stripTabs { while start < end, bytes[start] == UInt8(ascii: "\t") { start += 1 } }
        guard Array(bytes[start..<end]) == document.delimiter else { return false }
        copy(end - i + 1)
        stack.removeLast()
        startPendingHereDocument()
        return true
    }

    private mutating func startPendingHereDocument() {
        guard !pendingHereDocuments.isEmpty else { return }
        stack.append(.hereDocument(pendingHereDocuments.removeFirst()))
        atLineStart = true
    }

    /// `$(`, `$((`, `${`: pushes the frame and copies the opener; false for any other `$`.
    private mutating func lexDollar(inDouble: Bool) -> Bool {
        guard bytes[i] == UInt8(ascii: "$") else { return false }
        if byte(1) == UInt8(ascii: "("), byte(2) == UInt8(ascii: "(") {
            stack.append(.arithmetic(depth: 0))
            copy(3)
            return true
        }
        if byte(1) == UInt8(ascii: "(") {
            stack.append(.code(.dollarParen))
            copy(2)
            return true
        }
        if byte(1) == UInt8(ascii: "{") {
            stack.append(.parameter(inDouble: inDouble))
            copy(2)
            return true
        }
        return false
    }

    private mutating func lexCode(_ kind: CodeKind) {
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "\\"):
            copyEscape()
        case UInt8(ascii: "'"):
            stack.append(.single)
            copy()
        case UInt8(ascii: "\""):
            stack.append(.double)
            copy()
        case UInt8(ascii: "`"):
            if kind == .backquote { stack.removeLast() } else { stack.append(.code(.backquote)) }
            copy()
        case UInt8(ascii: "$"):
            if !lexDollar(inDouble: false) { copy() }
        case UInt8(ascii: "("):
            stack.append(.code(.paren))
            copy()
        case UInt8(ascii: ")"):
            if kind == .paren || kind == .dollarParen { stack.removeLast() }
            copy()
        case UInt8(ascii: "#") where atWordStart:
            stack.append(.comment)
            copy()
        case UInt8(ascii: "<") where byte(1) == UInt8(ascii: "<") && tag(at: i + 1) == nil:
            lexHereDocumentOperator()
        case UInt8(ascii: "\n"):
            copy()
            startPendingHereDocument()
        default:
            copy()
        }
    }

    /// Whether `#` here starts a comment: what was written so far (a substituted value included)
    /// ends a word.
    private var atWordStart: Bool {
        guard let previous = output.last else { return true }
        switch previous {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "&"),
             UInt8(ascii: "|"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            return true
        default:
            return false
        }
    }

    /// `<<` or `<<-`, blanks, then the delimiter word (quoted when any part of it is).
    private mutating func lexHereDocumentOperator() {
        if byte(2) == UInt8(ascii: "<") {  // bash's here-string
            copy(3)
            return
        }
        copy(2)
        var stripTabs = false
        if byte(0) == UInt8(ascii: "-") {
            stripTabs = true
            copy()
        }
        while let b = byte(0), b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { copy() }
        var delimiter: [UInt8] = []
        var quoted = false
        wordLoop: while let b = byte(0) {
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "&"),
                 UInt8(ascii: "|"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"):
                break wordLoop
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                quoted = true
                copy()
                while let q = byte(0), q != b {
                    delimiter.append(q)
                    copy()
                }
                copy()
            case UInt8(ascii: "\\"):
                quoted = true
                copy()
                if let q = byte(0) {
                    delimiter.append(q)
                    copy()
                }
            default:
                delimiter.append(b)
                copy()
            }
        }
        if !delimiter.isEmpty {
            pendingHereDocuments.append(HereDocument(delimiter: delimiter, stripTabs: stripTabs, quoted: quoted))
        }
    }

    private mutating func lexSingle() {
        if bytes[i] == UInt8(ascii: "'") { stack.removeLast() }
        copy()
    }

    private mutating func lexDouble() {
        switch bytes[i] {
        case UInt8(ascii: "\\"):
            copyEscape()
        case UInt8(ascii: "\""):
            stack.removeLast()
            copy()
        case UInt8(ascii: "`"):
            stack.append(.code(.backquote))
            copy()
        case UInt8(ascii: "$"):
            if !lexDollar(inDouble: true) { copy() }
        default:
            copy()
        }
    }

    private mutating func lexParameter(inDouble: Bool) {
        switch bytes[i] {
        case UInt8(ascii: "\\"):
            copyEscape()
        case UInt8(ascii: "}"):
            stack.removeLast()
            copy()
        case UInt8(ascii: "'") where !inDouble:
            stack.append(.single)
            copy()
        case UInt8(ascii: "\""):
            stack.append(.double)
            copy()
        case UInt8(ascii: "`"):
            stack.append(.code(.backquote))
            copy()
        case UInt8(ascii: "$"):
            if !lexDollar(inDouble: inDouble) { copy() }
        default:
            copy()
        }
    }

    private mutating func lexArithmetic(depth: Int) {
        switch bytes[i] {
        case UInt8(ascii: "("):
            stack[stack.count - 1] = .arithmetic(depth: depth + 1)
            copy()
        case UInt8(ascii: ")"):
            if depth == 0 {
                stack.removeLast()
                copy(byte(1) == UInt8(ascii: ")") ? 2 : 1)
            } else {
                stack[stack.count - 1] = .arithmetic(depth: depth - 1)
                copy()
            }
        case UInt8(ascii: "$"):
            if !lexDollar(inDouble: true) { copy() }
        case UInt8(ascii: "`"):
            stack.append(.code(.backquote))
            copy()
        default:
            copy()
        }
    }

    private mutating func lexComment() {
        if bytes[i] == UInt8(ascii: "\n") {
            stack.removeLast()  // the newline is the enclosing code's (it may start a here-document)
        } else {
            copy()
        }
    }

    private mutating func lexHereDocument(_ document: HereDocument) {
        let c = bytes[i]
        if c == UInt8(ascii: "\n") {
            copy()
            atLineStart = true
            return
        }
        guard !document.quoted else {
            copy()
            return
        }
        switch c {
        case UInt8(ascii: "\\"):
            if byte(1) == UInt8(ascii: "\n") { copy() } else { copyEscape() }
        case UInt8(ascii: "`"):
            stack.append(.code(.backquote))
            copy()
        case UInt8(ascii: "$"):
            if !lexDollar(inDouble: true) { copy() }
        default:
            copy()
        }
    }
}
