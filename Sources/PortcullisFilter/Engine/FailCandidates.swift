/// A regex with its capture plan, referenced without reference counting: the filter keeps
/// them alive (``LineFilter/failRegexes``), the hot loop only borrows them.
struct FailStep {
    let regex: Unmanaged<FilterRegex>
    let plan: Unmanaged<CapturePlan>

    init(regex: FilterRegex, plan: CapturePlan) {
        self.regex = .passUnretained(regex)
        self.plan = .passUnretained(plan)
    }

    /// Calls `body` with the regex and plan, neither retained.
    @inline(__always)
    func with<R>(_ body: (FilterRegex, CapturePlan) -> R) -> R {
        regex._withUnsafeGuaranteedRef { regex in plan._withUnsafeGuaranteedRef { plan in body(regex, plan) } }
    }
}

/// For each possible first byte of a subject, the failregexes that can match at its start,
/// in filter order. Most failregexes are anchored literals (`^Failed …`, `^Invalid user …`),
/// so a line is tried against two or three of them instead of all.
///
/// Plain memory, freed by the owner (``free()``).
struct FailCandidates {
    /// Indices of the candidates of byte `b`: `indices[starts[b]..<starts[b + 1]]`.
    private let starts: UnsafeMutablePointer<Int32>
    private let indices: UnsafeMutablePointer<Int32>
    private let allIndices: UnsafeMutablePointer<Int32>
    private let regexCount: Int

    init(_ regexes: [FilterRegex]) {
        var starts: [Int32] = []
        var indices: [Int32] = []
        starts.reserveCapacity(257)
        for byte in 0...255 {
            starts.append(Int32(indices.count))
            for (i, regex) in regexes.enumerated() where regex.compiled.canStart(with: UInt8(byte)) {
                indices.append(Int32(i))
            }
        }
        starts.append(Int32(indices.count))
        self.starts = .allocate(capacity: starts.count)
        self.starts.initialize(from: starts, count: starts.count)
        self.indices = .allocate(capacity: max(1, indices.count))
        self.indices.initialize(from: indices, count: indices.count)
        regexCount = regexes.count
        allIndices = .allocate(capacity: max(1, regexes.count))
        for i in 0..<regexes.count { allIndices[i] = Int32(i) }
    }

    func free() {
        starts.deallocate()
        indices.deallocate()
        allIndices.deallocate()
    }

    /// Every failregex (for a subject that changes between searches).
    var all: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: allIndices, count: regexCount) }

    @inline(__always)
    func starting(with byte: UInt8) -> UnsafeBufferPointer<Int32> {
        let from = Int(starts[Int(byte)])
        return UnsafeBufferPointer(start: indices + from, count: Int(starts[Int(byte) + 1]) - from)
    }
}
