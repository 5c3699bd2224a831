/// For each possible first byte of a subject, the failregexes that can match at its start,
/// in filter order. Most failregexes are anchored literals (`^Failed …`, `^Invalid user …`),
/// so a line is tried against two or three of them instead of all.
struct FailCandidates {
    /// Indices of the candidates of byte `b`: `indices[starts[b]..<starts[b + 1]]`.
    private let starts: [Int]
    private let indices: [Int]
    /// Every failregex (a subject that changes between searches).
    let all: ArraySlice<Int>

    init(_ regexes: [FilterRegex]) {
        var starts: [Int] = []
        var indices: [Int] = []
        starts.reserveCapacity(257)
        for byte in 0...255 {
            starts.append(indices.count)
            for (i, regex) in regexes.enumerated() where regex.compiled.canStart(with: UInt8(byte)) {
                indices.append(i)
            }
        }
        starts.append(indices.count)
        self.starts = starts
        self.indices = indices
        all = Array(regexes.indices)[...]
    }

    @inline(__always)
    func starting(with byte: UInt8) -> ArraySlice<Int> {
        indices[starts[Int(byte)]..<starts[Int(byte) + 1]]
    }
}
