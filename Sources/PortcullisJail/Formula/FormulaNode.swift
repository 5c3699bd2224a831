#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names a ban-time formula may read: fail2ban evaluates `bantime.formula` with `ban.Time`
/// (the jail's `bantime`), `ban.Count` (how often the address was banned before) and `banFactor`
/// (`bantime.factor`) in scope.
public enum FormulaVariable: String, Sendable, CaseIterable {
    case banTime = "ban.Time"
    case banCount = "ban.Count"
    case banFactor = "banFactor"
}

/// A parsed formula: Python expression syntax restricted to numbers, the three variables, the
/// operators and a handful of pure functions. Nothing else can be named, so nothing else runs.
indirect enum FormulaNode: Sendable {
    case constant(FormulaValue)
    case variable(FormulaVariable)
    case unary(String, FormulaNode)
    case binary(String, FormulaNode, FormulaNode)
    /// Python's chained comparison `a < b <= c`.
    case comparison(FormulaNode, [(String, FormulaNode)])
    case and(FormulaNode, FormulaNode)
    case or(FormulaNode, FormulaNode)
    case not(FormulaNode)
    /// `then if condition else otherwise`.
    case conditional(then: FormulaNode, condition: FormulaNode, otherwise: FormulaNode)
    case call(FormulaFunction, [FormulaNode])

    func evaluate(_ scope: (FormulaVariable) -> FormulaValue) throws(FormulaError) -> FormulaValue {
        switch self {
        case .constant(let v): return v
        case .variable(let name): return scope(name)
        case .unary(let op, let operand):
            let v = try operand.evaluate(scope)
            switch op {
            case "-": return FormulaValue.negate(v)
            case "~": return try FormulaValue.invert(v)
            default: return v.asInt.map(FormulaValue.int) ?? v
            }
        case .binary(let op, let lhs, let rhs):
            let a = try lhs.evaluate(scope), b = try rhs.evaluate(scope)
            switch op {
            case "+": return FormulaValue.add(a, b)
            case "-": return FormulaValue.subtract(a, b)
            case "*": return FormulaValue.multiply(a, b)
            case "/": return try FormulaValue.divide(a, b)
            case "//": return try FormulaValue.floorDivide(a, b)
            case "%": return try FormulaValue.modulo(a, b)
            case "**": return try FormulaValue.power(a, b)
            case "<<": return try FormulaValue.shiftLeft(a, b)
            case ">>": return try FormulaValue.shiftRight(a, b)
            default: return try FormulaValue.bitwise(op, a, b)
            }
        case .comparison(let first, let rest):
            var left = try first.evaluate(scope)
            for (op, node) in rest {
                let right = try node.evaluate(scope)
                guard FormulaValue.compare(op, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .and(let lhs, let rhs):
            let a = try lhs.evaluate(scope)
            return a.isTruthy ? try rhs.evaluate(scope) : a
        case .or(let lhs, let rhs):
            let a = try lhs.evaluate(scope)
            return a.isTruthy ? a : try rhs.evaluate(scope)
        case .not(let operand):
            return .bool(!(try operand.evaluate(scope)).isTruthy)
        case .conditional(let then, let condition, let otherwise):
            return try condition.evaluate(scope).isTruthy ? then.evaluate(scope) : otherwise.evaluate(scope)
        case .call(let function, let arguments):
            var values: [FormulaValue] = []
            for argument in arguments { values.append(try argument.evaluate(scope)) }
            return try function.apply(values)
        }
    }
}

/// The functions a formula may call: Python's `min`, `max`, `abs`, `int`, `float`, `round` and
/// `math.exp`/`log`/`sqrt`/`pow`/`floor`/`ceil` (jail.conf's example formula uses `math.exp` and
/// `float`).
enum FormulaFunction: String, Sendable, CaseIterable {
    case min, max, abs, int, float, round
    case exp = "math.exp", log = "math.log", log2 = "math.log2", log10 = "math.log10"
    case sqrt = "math.sqrt", pow = "math.pow", floor = "math.floor", ceil = "math.ceil"

    /// Accepted argument counts.
    var arity: ClosedRange<Int> {
        switch self {
        case .min, .max: return 2...64
        case .round, .log: return 1...2
        case .pow: return 2...2
        default: return 1...1
        }
    }

    func apply(_ args: [FormulaValue]) throws(FormulaError) -> FormulaValue {
        func finite(_ d: Double) throws(FormulaError) -> FormulaValue {
            guard d.isFinite else { throw FormulaError("math range error in \(rawValue)()") }
            return .float(d)
        }
        func toInt(_ d: Double) throws(FormulaError) -> FormulaValue {
            guard d.isFinite else { throw FormulaError("cannot convert \(d) to an integer in \(rawValue)()") }
            let t = d.rounded(.towardZero)
            guard t.magnitude < 9.2e18 else { return .float(t) }
            return .int(Int(t))
        }
        let x = args[0]
        switch self {
        case .min: return args.dropFirst().reduce(x) { FormulaValue.compare("<", $1, $0) ? $1 : $0 }
        case .max: return args.dropFirst().reduce(x) { FormulaValue.compare(">", $1, $0) ? $1 : $0 }
        case .abs:
            if let i = x.asInt { return i == .min ? .float(-Double(i)) : .int(Swift.abs(i)) }
            return .float(Swift.abs(x.asDouble))
        case .int:
            if let i = x.asInt { return .int(i) }
            return try toInt(x.asDouble)
        case .float: return .float(x.asDouble)
        case .round:
            if args.count == 2 {
                guard let digits = args[1].asInt else { throw FormulaError("round() digits must be an integer") }
                if let i = x.asInt, digits >= 0 { return .int(i) }
                let scale = libmPow10(digits)
                return .float((x.asDouble * scale).rounded(.toNearestOrEven) / scale)
            }
            if let i = x.asInt { return .int(i) }
            return try toInt(x.asDouble.rounded(.toNearestOrEven))
        case .exp: return try finite(libmExp(x.asDouble))
        case .log:
            let v = x.asDouble
            guard v > 0 else { throw FormulaError("math domain error in math.log()") }
            if args.count == 2 {
                let base = args[1].asDouble
                guard base > 0, base != 1 else { throw FormulaError("math domain error in math.log()") }
                return .float(libmLog(v) / libmLog(base))
            }
            return .float(libmLog(v))
        case .log2:
            guard x.asDouble > 0 else { throw FormulaError("math domain error in math.log2()") }
            return .float(libmLog2(x.asDouble))
        case .log10:
            guard x.asDouble > 0 else { throw FormulaError("math domain error in math.log10()") }
            return .float(libmLog10(x.asDouble))
        case .sqrt:
            guard x.asDouble >= 0 else { throw FormulaError("math domain error in math.sqrt()") }
            return .float(x.asDouble.squareRoot())
        case .pow: return try finite(libmPow(x.asDouble, args[1].asDouble))
        case .floor:
            if let i = x.asInt { return .int(i) }
            return try toInt(x.asDouble.rounded(.down))
        case .ceil:
            if let i = x.asInt { return .int(i) }
            return try toInt(x.asDouble.rounded(.up))
        }
    }
}

// libm under names that do not clash with the enum cases above.
private func libmExp(_ x: Double) -> Double { exp(x) }
private func libmLog(_ x: Double) -> Double { log(x) }
private func libmLog2(_ x: Double) -> Double { log2(x) }
private func libmLog10(_ x: Double) -> Double { log10(x) }
private func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
private func libmPow10(_ n: Int) -> Double { pow(10, Double(n)) }
