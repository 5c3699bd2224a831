/// The random numbers of `bantime.rndtime`, one per failure: the system generator asks the
/// kernel (`getrandom(2)`) every time, which showed in the daemon's profile. Ban-time jitter needs
/// no secrecy, so SplitMix64 seeded once from the system generator serves.
struct JailRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<1`, as `JailCore` takes it.
    mutating func unit() -> Double {
        Double.random(in: 0..<1, using: &self)
    }
}
