import Foundation

/// One configuration file parsed the way fail2ban's ConfigParser reads it (Python's
/// `configparser` with `inline_comment_prefixes=";"`, strict mode):
///
/// - `[section]` headers (names are case-sensitive; `[DEFAULT]` is special);
/// - `name = value` or `name: value`, names lower-cased (ConfigParser's `optionxform`);
/// - continuation lines: any line indented deeper than the option's first line;
///   blank lines inside a value are kept, trailing ones dropped;
/// - full-line comments start with `#` or `;` (also inside multi-line values);
///   inline comments only with `;` preceded by whitespace — a `#` after a value is part of it;
/// - a section or option repeated *within one file* is an error, as in strict ConfigParser.
public struct IniFile: Sendable {
    public var path: String
    /// `[DEFAULT]` options of this file.
    public var defaults = OptionTable()
    /// Every other section in order of first appearance.
    public var sections: [(name: String, options: OptionTable)] = []

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, "file is not valid UTF-8")
        }
        try self.init(path: path, text: text)
    }

    public init(path: String, text: String) throws {
        self.path = path
        try parse(text)
    }

    private mutating func parse(_ text: String) throws {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }

        var sectionIndex: Int? = nil          // index into `sections`, or nil for DEFAULT
        var sectionName: String? = nil        // nil until the first [section] header
        var optionName: String? = nil
        var optionLines: [String] = []
        var optionLine = 0
        var indentLevel = 0
        var seenSections = Set<String>()
        var seenOptions = Set<String>()       // "section\u{0}option"

        func flush() {
            guard let name = optionName else { return }
            var value = optionLines.joined(separator: "\n")
            while let last = value.last, last.isWhitespace { value.removeLast() }
            let cv = ConfigValue(value, at: SourceLocation(file: path, line: optionLine))
            if let i = sectionIndex { sections[i].options[name] = cv } else { defaults[name] = cv }
            optionName = nil
            optionLines = []
        }

        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 1
            let stripped = line.trimmingCharacters(in: .whitespaces)
            var commentStart: String.Index? = nil
            // Inline comments: ';' at the start or preceded by whitespace.
            var search = line.startIndex
            while let semicolon = line[search...].firstIndex(of: ";") {
                if semicolon == line.startIndex || line[line.index(before: semicolon)].isWhitespace {
                    commentStart = semicolon
                    break
                }
                search = line.index(after: semicolon)
            }
            if stripped.hasPrefix("#") || stripped.hasPrefix(";") { commentStart = line.startIndex }
            let content = String(line[..<(commentStart ?? line.endIndex)]).trimmingCharacters(in: .whitespaces)
            if content.isEmpty {
                // Blank line: part of a multi-line value unless it held a comment.
                if commentStart == nil, optionName != nil { optionLines.append("") }
                continue
            }
            let indent = line.distance(from: line.startIndex, to: line.firstIndex { !$0.isWhitespace } ?? line.startIndex)
            if optionName != nil, indent > indentLevel {
                optionLines.append(content)
                continue
            }
            flush()
            indentLevel = indent
            if content.hasPrefix("["), let close = content.lastIndex(of: "]"), close > content.index(after: content.startIndex) {
                let name = String(content[content.index(after: content.startIndex)..<close])
                if name == "DEFAULT" {
                    sectionIndex = nil
                } else if let existing = sections.firstIndex(where: { $0.name == name }) {
                    if seenSections.contains(name) {
                        throw ConfigError(file: path, line: lineNumber, "section [\(name)] already exists in this file")
                    }
                    sectionIndex = existing
                } else {
                    sections.append((name, OptionTable()))
                    sectionIndex = sections.count - 1
                }
                seenSections.insert(name)
                sectionName = name
                continue
            }
            guard let sectionName else {
                throw ConfigError(file: path, line: lineNumber, "option outside any section (a [section] header must come first): \(line)")
            }
            guard let delimiter = content.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigError(file: path, line: lineNumber, "cannot parse line (expected 'name = value'): \(line)")
            }
            let name = content[..<delimiter].trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty {
                throw ConfigError(file: path, line: lineNumber, "option without a name: \(line)")
            }
            let key = sectionName + "\u{0}" + name
            if seenOptions.contains(key) {
                throw ConfigError(file: path, line: lineNumber, "option '\(name)' in section [\(sectionName)] already exists in this file")
            }
            seenOptions.insert(key)
            optionName = name
            optionLine = lineNumber
            optionLines = [content[content.index(after: delimiter)...].trimmingCharacters(in: .whitespaces)]
        }
        flush()
    }
}
