/// A recursive-descent parser for the Python expression grammar, from the conditional
/// expression down to calls and atoms, with Python's precedence. Names are resolved while
/// parsing: a name that is neither an allowed variable, a known function nor a constant is an
/// error at load time, never at ban time.
struct FormulaParser {
    private let tokens: [FormulaToken]
    private let allowed: Set<FormulaVariable>
    private var index = 0

    init(_ text: String, allowed: Set<FormulaVariable>) throws(FormulaError) {
        self.tokens = try FormulaLexer.tokens(text)
        self.allowed = allowed
    }

    mutating func parse() throws(FormulaError) -> FormulaNode {
        guard tokens.first?.kind != .end else { throw FormulaError("empty expression", column: 1) }
        let node = try conditional()
        guard current.kind == .end else { throw unexpected() }
        return node
    }

    // MARK: Token helpers

    private var current: FormulaToken { tokens[index] }

    private func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    private func isKeyword(_ s: String) -> Bool { current.kind == .name(s) }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private mutating func expect(_ symbol: String) throws(FormulaError) {
        guard isSymbol(symbol) else { throw FormulaError("expected '\(symbol)'", column: current.column) }
        advance()
    }

    private func unexpected() -> FormulaError {
        switch current.kind {
        case .end: return FormulaError("unexpected end of expression", column: current.column)
        case .int(let i): return FormulaError("unexpected number \(i)", column: current.column)
        case .float(let d): return FormulaError("unexpected number \(d)", column: current.column)
        case .name(let n): return FormulaError("unexpected name '\(n)'", column: current.column)
        case .symbol(let s): return FormulaError("unexpected '\(s)'", column: current.column)
        }
    }

    private static let keywords: Set<String> = ["if", "else", "and", "or", "not", "in", "is", "lambda"]

    // MARK: Grammar (lowest precedence first)

    private mutating func conditional() throws(FormulaError) -> FormulaNode {
        let then = try orTest()
        guard isKeyword("if") else { return then }
        advance()
        let condition = try orTest()
        guard isKeyword("else") else { throw FormulaError("expected 'else'", column: current.column) }
        advance()
        let otherwise = try conditional()
        return .conditional(then: then, condition: condition, otherwise: otherwise)
    }

    private mutating func orTest() throws(FormulaError) -> FormulaNode {
        var node = try andTest()
        while isKeyword("or") { advance(); node = .or(node, try andTest()) }
        return node
    }

    private mutating func andTest() throws(FormulaError) -> FormulaNode {
        var node = try notTest()
        while isKeyword("and") { advance(); node = .and(node, try notTest()) }
        return node
    }

    private mutating func notTest() throws(FormulaError) -> FormulaNode {
        guard isKeyword("not") else { return try comparison() }
        advance()
        return .not(try notTest())
    }

    private static let comparisons: Set<String> = ["<", ">", "<=", ">=", "==", "!="]

    private mutating func comparison() throws(FormulaError) -> FormulaNode {
        let first = try bitOr()
        var rest: [(String, FormulaNode)] = []
        while case .symbol(let s) = current.kind, Self.comparisons.contains(s) {
            advance()
            rest.append((s, try bitOr()))
        }
        return rest.isEmpty ? first : .comparison(first, rest)
    }

    private mutating func binaryLevel(_ ops: Set<String>, next: (inout FormulaParser) throws(FormulaError) -> FormulaNode) throws(FormulaError) -> FormulaNode {
        var node = try next(&self)
        while case .symbol(let s) = current.kind, ops.contains(s) {
            advance()
            node = .binary(s, node, try next(&self))
        }
        return node
    }

    private mutating func bitOr() throws(FormulaError) -> FormulaNode { try binaryLevel(["|"]) { p throws(FormulaError) in try p.bitXor() } }
    private mutating func bitXor() throws(FormulaError) -> FormulaNode { try binaryLevel(["^"]) { p throws(FormulaError) in try p.bitAnd() } }
    private mutating func bitAnd() throws(FormulaError) -> FormulaNode { try binaryLevel(["&"]) { p throws(FormulaError) in try p.shift() } }
    private mutating func shift() throws(FormulaError) -> FormulaNode { try binaryLevel(["<<", ">>"]) { p throws(FormulaError) in try p.arithmetic() } }
    private mutating func arithmetic() throws(FormulaError) -> FormulaNode { try binaryLevel(["+", "-"]) { p throws(FormulaError) in try p.term() } }
    private mutating func term() throws(FormulaError) -> FormulaNode { try binaryLevel(["*", "/", "//", "%"]) { p throws(FormulaError) in try p.factor() } }

    private mutating func factor() throws(FormulaError) -> FormulaNode {
        if case .symbol(let s) = current.kind, s == "-" || s == "+" || s == "~" {
            advance()
            return .unary(s, try factor())
        }
        return try power()
    }

    private mutating func power() throws(FormulaError) -> FormulaNode {
        let base = try primary()
        guard isSymbol("**") else { return base }
        advance()
        // Right-associative, and binds tighter than a unary minus on its left only: 2**-1 is 0.5.
        return .binary("**", base, try factor())
    }

    private mutating func primary() throws(FormulaError) -> FormulaNode {
        let token = current
        switch token.kind {
        case .int(let i): advance(); return .constant(.int(i))
        case .float(let d): advance(); return .constant(.float(d))
        case .symbol("("):
            advance()
            let node = try conditional()
            try expect(")")
            return node
        case .name(let name):
            guard !Self.keywords.contains(name) else { throw unexpected() }
            advance()
            if isSymbol("(") { return try call(name, column: token.column) }
            return try resolve(name, column: token.column)
        default:
            throw unexpected()
        }
    }

    private mutating func call(_ name: String, column: Int) throws(FormulaError) -> FormulaNode {
        guard let function = FormulaFunction(rawValue: name) else {
            let known = FormulaFunction.allCases.map { $0.rawValue + "()" }.joined(separator: ", ")
            throw FormulaError("unknown function '\(name)' (known: \(known))", column: column)
        }
        advance() // (
        var arguments: [FormulaNode] = []
        if !isSymbol(")") {
            arguments.append(try conditional())
            while isSymbol(",") {
                advance()
                if isSymbol(")") { break }
                arguments.append(try conditional())
            }
        }
        try expect(")")
        guard function.arity.contains(arguments.count) else {
            let wanted = function.arity.lowerBound == function.arity.upperBound
                ? "\(function.arity.lowerBound)" : "\(function.arity.lowerBound) or more"
            throw FormulaError("\(name)() takes \(wanted) argument(s), \(arguments.count) given", column: column)
        }
        return .call(function, arguments)
    }

    private func resolve(_ name: String, column: Int) throws(FormulaError) -> FormulaNode {
        switch name {
        case "True": return .constant(.bool(true))
        case "False": return .constant(.bool(false))
        case "math.e": return .constant(.float(2.718281828459045))
        case "math.pi": return .constant(.float(3.141592653589793))
        default: break
        }
        if let variable = FormulaVariable(rawValue: name), allowed.contains(variable) {
            return .variable(variable)
        }
        let known = FormulaVariable.allCases.filter { allowed.contains($0) }.map(\.rawValue)
        let hint = known.isEmpty ? "only numbers are allowed here" : "known: " + known.joined(separator: ", ")
        throw FormulaError("unknown name '\(name)' (\(hint))", column: column)
    }
}
