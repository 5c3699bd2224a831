/// What `nft [-t] list table inet <table>` shows, parsed: chains with their rule lines (the
/// `type … hook …` declaration kept apart), sets with their element texts (empty under `-t`).
///
/// Parsed from the plain text rather than `-j` JSON: for 100k elements the text is a third of
/// the size and a byte scan is far cheaper than building a JSON object tree.
struct NftablesListing {
    struct Chain {
        var hook: String?
        var rules: [String] = []
    }

    var chains: [String: Chain] = [:]
    var sets: [String: [String]] = [:]

    init(_ text: String) {
        var current: (kind: Substring, name: String)?
        var inElements = false
        var elementText = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = Substring(rawLine.trimmingSpaces)
            if inElements {
                elementText += line
                if line.hasSuffix("}") {
                    inElements = false
                    if let current { sets[current.name] = Self.elements(elementText) }
                }
                continue
            }
            if line.hasPrefix("chain ") || line.hasPrefix("set ") || line.hasPrefix("map ") {
                let words = line.split(separator: " ")
                guard words.count >= 2 else { continue }
                current = (words[0], String(words[1]))
                if words[0] == "chain" { chains[String(words[1])] = Chain() }
                if words[0] == "set" { sets[String(words[1])] = [] }
                continue
            }
            guard let owner = current else { continue }
            if line == "}" {
                current = nil
                continue
            }
            if owner.kind == "chain" {
                if line.hasPrefix("type ") { chains[owner.name]?.hook = String(line) } else { chains[owner.name]?.rules.append(String(line)) }
            } else if owner.kind == "set", line.hasPrefix("elements = {") {
                elementText = String(line.dropFirst("elements = {".count))
                if line.hasSuffix("}") {
                    sets[owner.name] = Self.elements(elementText)
                } else {
                    inElements = true
                }
            }
        }
    }

    /// `a timeout 1h expires 59m, b, c }` → `[a, b, c]`.
    static func elements(_ text: String) -> [String] {
        var out: [String] = []
        for piece in text.split(separator: ",") {
            let trimmed = piece.drop { $0 == " " || $0 == "\t" }
            let word = trimmed.prefix { $0 != " " && $0 != "}" && $0 != "\t" }
            if !word.isEmpty { out.append(String(word)) }
        }
        return out
    }
}
