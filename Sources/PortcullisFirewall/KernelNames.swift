/// Deterministic, collision-safe kernel object names for a managed set.
///
/// A jail name comes from config and may hold anything; kernels limit names (ipset: 31 bytes,
/// iptables chains: 28). Every name is built from a *token*: the set name with every character
/// outside `[A-Za-z0-9_]` replaced by `_`, cut to a length budget, then `-` and the 8 hex digits
/// of the FNV-1a 32-bit hash of the untouched name — so `my.jail` and `my_jail` never share
/// objects, and the same name always maps to the same objects across restarts.
///
/// nftables (in `table inet <table>`): token = `<name≤40>-<hash>`; chain `pc-<token>`, host ban
/// sets `pc-<token>-b4`/`-b6` (hash sets: fast to load), network ban sets `pc-<token>-n4`/`-n6`
/// (interval sets), whitelist sets `pc-<token>-w4`/`-w6`; the base chain is `input`.
/// ipset/iptables: token = `<prefix≤10>-<name≤8>-<hash>` (≤ 28: an iptables chain name), used
/// as the set's chain; ban sets `<token>-4`/`-6` (≤ 31); the base chain is `<prefix≤28>`.
struct KernelNames: Hashable, Sendable {
    let chain: String
    let ban4: String
    let ban6: String
    /// nftables only: the interval sets holding the networks.
    let net4: String
    let net6: String
    let allow4: String
    let allow6: String

    static func nftables(_ name: String) -> KernelNames {
        let token = "pc-" + Self.token(name, budget: 40)
        return KernelNames(chain: token, ban4: token + "-b4", ban6: token + "-b6", net4: token + "-n4", net6: token + "-n6",
                           allow4: token + "-w4", allow6: token + "-w6")
    }

    /// The nftables set an element goes to.
    func nftablesSet(for key: String) -> String {
        let v6 = AddressKey.isIPv6(key)
        return key.utf8.contains(UInt8(ascii: "/")) ? (v6 ? net6 : net4) : (v6 ? ban6 : ban4)
    }

    /// Every nftables ban set, hosts first.
    var nftablesBanSets: [String] { [ban4, ban6, net4, net6] }

    static func ipset(_ name: String, prefix: String) -> KernelNames {
        let token = sanitised(prefix, budget: 10) + "-" + Self.token(name, budget: 8)
        return KernelNames(chain: token, ban4: token + "-4", ban6: token + "-6", net4: "", net6: "", allow4: "", allow6: "")
    }

    /// The shared base chain of the ipset/iptables variant.
    static func ipsetBaseChain(prefix: String) -> String {
        sanitised(prefix, budget: 28)
    }

    static func token(_ name: String, budget: Int) -> String {
        sanitised(name, budget: budget) + "-" + hash(name)
    }

    static func sanitised(_ text: String, budget: Int) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(budget) {
            let ok = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        return out.isEmpty ? "_" : out
    }

    /// FNV-1a, 32 bits, as 8 lowercase hex digits.
    static func hash(_ text: String) -> String {
        var value: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 0x0100_0193
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
