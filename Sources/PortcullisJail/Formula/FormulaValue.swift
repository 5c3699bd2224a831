#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Python number as a formula sees it: `int`, `float` or `bool` (a comparison's result), with
/// Python's rules for mixing them (`int / int` is a float, `<<` wants ints, `True * 600 == 600`).
/// Integers that outgrow 64 bits continue as floats (Python would keep them exact; as ban times
/// they are far beyond any `bantime.maxtime` anyway).
enum FormulaValue: Equatable, Sendable {
    case int(Int)
    case float(Double)
    case bool(Bool)

    var asDouble: Double {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        }
    }

    /// The integer of an `int` or `bool`; nil for a float.
    var asInt: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .float: return nil
        }
    }

    var isTruthy: Bool { asDouble != 0 }

    var typeName: String {
        switch self {
        case .int: return "int"
        case .float: return "float"
        case .bool: return "bool"
        }
    }

    // MARK: Arithmetic

    static func add(_ a: FormulaValue, _ b: FormulaValue) -> FormulaValue {
        if let x = a.asInt, let y = b.asInt {
            let (r, overflow) = x.addingReportingOverflow(y)
            return overflow ? .float(Double(x) + Double(y)) : .int(r)
        }
        return .float(a.asDouble + b.asDouble)
    }

    static func subtract(_ a: FormulaValue, _ b: FormulaValue) -> FormulaValue {
        if let x = a.asInt, let y = b.asInt {
            let (r, overflow) = x.subtractingReportingOverflow(y)
            return overflow ? .float(Double(x) - Double(y)) : .int(r)
        }
        return .float(a.asDouble - b.asDouble)
    }

    static func multiply(_ a: FormulaValue, _ b: FormulaValue) -> FormulaValue {
        if let x = a.asInt, let y = b.asInt {
            let (r, overflow) = x.multipliedReportingOverflow(by: y)
            return overflow ? .float(Double(x) * Double(y)) : .int(r)
        }
        return .float(a.asDouble * b.asDouble)
    }

    static func divide(_ a: FormulaValue, _ b: FormulaValue) throws(FormulaError) -> FormulaValue {
        guard b.asDouble != 0 else { throw FormulaError("division by zero") }
        return .float(a.asDouble / b.asDouble)
    }

    static func floorDivide(_ a: FormulaValue, _ b: FormulaValue) throws(FormulaError) -> FormulaValue {
        guard b.asDouble != 0 else { throw FormulaError("integer division or modulo by zero") }
        if let x = a.asInt, let y = b.asInt, !(x == .min && y == -1) {
            let q = x / y
            return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
        }
        return .float((a.asDouble / b.asDouble).rounded(.down))
    }

    static func modulo(_ a: FormulaValue, _ b: FormulaValue) throws(FormulaError) -> FormulaValue {
        guard b.asDouble != 0 else { throw FormulaError("integer division or modulo by zero") }
        if let x = a.asInt, let y = b.asInt, !(x == .min && y == -1) {
            let r = x % y
            return .int(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
        }
        let x = a.asDouble, y = b.asDouble
        let r = fmod(x, y)
        return .float(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
    }

    static func power(_ a: FormulaValue, _ b: FormulaValue) throws(FormulaError) -> FormulaValue {
        if let x = a.asInt, let y = b.asInt, y >= 0 {
            var result = 1, base = x, exponent = y, overflow = false
            while exponent > 0 && !overflow {
                if exponent & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    result = r; overflow = overflow || o
                }
                exponent >>= 1
                if exponent > 0 {
                    let (r, o) = base.multipliedReportingOverflow(by: base)
                    base = r; overflow = overflow || o
                }
            }
            return overflow ? .float(pow(Double(x), Double(y))) : .int(result)
        }
        let x = a.asDouble, y = b.asDouble
        if x == 0 && y < 0 { throw FormulaError("0.0 cannot be raised to a negative power") }
        if x < 0 && y != y.rounded() { throw FormulaError("a negative number raised to a fractional power is complex") }
        return .float(pow(x, y))
    }

    static func negate(_ a: FormulaValue) -> FormulaValue {
        if let x = a.asInt { return x == .min ? .float(-Double(x)) : .int(-x) }
        return .float(-a.asDouble)
    }

    // MARK: Integer-only operators

    private static func integers(_ op: String, _ a: FormulaValue, _ b: FormulaValue) throws(FormulaError) -> (Int, Int) {
        guard let x = a.asInt, let y = b.asInt else {
            throw FormulaError("unsupported operand type(s) for \(op): '\(a.typeName)' and '\(b.typeName)'")
        }
        return (x, y)
    }

    static func shiftLeft(_ a: FormulaValue, _ b: FormulaValue) throws(FormulaError) -> FormulaValue {
        let (x, y) = try integers("<<", a, b)
        guard y >= 0 else { throw FormulaError("negative shift count") }
        if x == 0 { return .int(0) }
        if y < Int.bitWidth - 1 {
            let shifted = x << y
            if shifted >> y == x { return .int(shifted) }
        }
        return .float(Double(x) * pow(2, Double(y)))
    }

    static func shiftRight(_ a: FormulaValue, _ b: FormulaValue) throws(FormulaError) -> FormulaValue {
        let (x, y) = try integers(">>", a, b)
        guard y >= 0 else { throw FormulaError("negative shift count") }
        return .int(y >= Int.bitWidth ? (x < 0 ? -1 : 0) : x >> y)
    }

    static func bitwise(_ op: String, _ a: FormulaValue, _ b: FormulaValue) throws(FormulaError) -> FormulaValue {
        let (x, y) = try integers(op, a, b)
        switch op {
        case "&": return .int(x & y)
        case "|": return .int(x | y)
        default: return .int(x ^ y)
        }
    }

    static func invert(_ a: FormulaValue) throws(FormulaError) -> FormulaValue {
        guard let x = a.asInt else { throw FormulaError("bad operand type for unary ~: '\(a.typeName)'") }
        return .int(~x)
    }

    // MARK: Comparison

    static func compare(_ op: String, _ a: FormulaValue, _ b: FormulaValue) -> Bool {
        if let x = a.asInt, let y = b.asInt { return compare(op, x, y) }
        return compare(op, a.asDouble, b.asDouble)
    }

    /// Ints compare exactly; anything else as floats (IEEE: nothing equals NaN).
    private static func compare<T: Comparable>(_ op: String, _ x: T, _ y: T) -> Bool {
        switch op {
        case "<": return x < y
        case ">": return x > y
        case "<=": return x <= y
        case ">=": return x >= y
        case "==": return x == y
        default: return x != y
        }
    }
}
