#if canImport(Glibc)
import Glibc
#endif

/// The few nf_tables netlink requests Portcullis sends itself: look up a set, and add or delete
/// its elements in one transaction — what `nft add element` does, without starting a process.
///
/// Requests go over a `RequestSocket` (`NETLINK_NETFILTER`, no multicast groups) that the caller
/// opens in the calling thread's network namespace, as `nft` would, and may use for several. Every answer is read up to the kernel's
/// acknowledgement, so a call returns only once the change is in the kernel, or with the
/// kernel's error number.
enum NetfilterNetlink {
    /// What `NFT_MSG_GETSET` says of a set, as far as adding plain elements is concerned.
    struct SetDescription: Equatable {
        var flags: UInt32
        var keyType: UInt32
        var keyLength: UInt32
        /// Whether the set carries per-element statements (`counter`, `quota`, …).
        var hasExpressions: Bool
    }

    enum Failure: Error, Equatable {
        /// The socket could not be opened or used (no permission, no nf_tables).
        case socket(Int32)
        /// The kernel refused the request with this error number.
        case kernel(Int32)
        /// The answer was not what the protocol promises.
        case malformed
    }

    // linux/netfilter/nfnetlink.h, nf_tables.h
    static let subsystemNftables: UInt16 = 10
    static let batchBegin: UInt16 = 0x10
    static let batchEnd: UInt16 = 0x11
    static let getSet: UInt16 = 10
    static let newSet: UInt16 = 9
    static let newSetElement: UInt16 = 12
    static let deleteSetElement: UInt16 = 14
    static let newGeneration: UInt16 = 15

    static let request: UInt16 = 0x1, acknowledge: UInt16 = 0x4, create: UInt16 = 0x400
    static let nested: UInt16 = 0x8000

    static let setFlagAnonymous: UInt32 = 0x1, setFlagConstant: UInt32 = 0x2, setFlagInterval: UInt32 = 0x4,
               setFlagMap: UInt32 = 0x8, setFlagObject: UInt32 = 0x40, setFlagConcatenation: UInt32 = 0x80,
               setFlagExpression: UInt32 = 0x100

    /// The nft datatype numbers of `ipv4_addr` and `ipv6_addr` (nftables' `enum datatypes`).
    static let ipv4AddressType: UInt32 = 7, ipv6AddressType: UInt32 = 8

    static let familyNumbers: [String: UInt8] = ["ip": 2, "ip6": 10, "inet": 1, "arp": 3, "bridge": 7, "netdev": 5]

    /// The set `table`/`name` of `family`.
    static func describeSet(family: UInt8, table: String, name: String, on socket: RequestSocket) throws(Failure) -> SetDescription {
        var message = Message(type: subsystemNftables << 8 | getSet, flags: request | acknowledge, sequence: 1, family: family)
        message.append(attribute: 1, string: table)     // NFTA_SET_TABLE
        message.append(attribute: 2, string: name)      // NFTA_SET_NAME
        try socket.send(message.bytes)
        var description: SetDescription?
        try socket.receive(untilAcknowledged: 1) { type, payload in
            guard type == subsystemNftables << 8 | newSet else { return }
            var found = SetDescription(flags: 0, keyType: 0, keyLength: 0, hasExpressions: false)
            for (kind, value) in Attributes(payload.dropFirst(4)) {
                switch kind {
                case 3: found.flags = value.bigEndianUInt32 ?? 0
                case 4: found.keyType = value.bigEndianUInt32 ?? 0
                case 5: found.keyLength = value.bigEndianUInt32 ?? 0
                case 17, 18: found.hasExpressions = true     // NFTA_SET_EXPR, NFTA_SET_EXPRESSIONS
                default: break
                }
            }
            description = found
        }
        guard let description else { throw .malformed }
        return description
    }

    /// One set element: its key (address bytes) and, in a `flags timeout` set, its own timeout.
    struct Element {
        var key: [UInt8]
        var timeoutMilliseconds: Int? = nil
    }

    /// A change of one set's elements, part of a transaction.
    enum Step {
        case add(set: String, [Element])
        case delete(set: String, [Element])
    }

    /// Elements per message: an element list is one attribute, whose length field has 16 bits.
    static let elementsPerMessage = 1_000

    /// Every step, in order, in one transaction (one batch, one `sendmsg`): all or nothing, as
    /// one `nft -f` file would be.
    static func transaction(family: UInt8, table: String, on socket: RequestSocket, steps: [Step]) throws(Failure) {
        var batch: [UInt8] = []
        var sequence: UInt32 = 1
        var begin = Message(type: batchBegin, flags: request, sequence: sequence, family: 0, resourceID: subsystemNftables)
        batch += begin.finished()
        for step in steps {
            let (adding, set, elements): (Bool, String, [Element])
            switch step {
            case .add(let name, let list): (adding, set, elements) = (true, name, list)
            case .delete(let name, let list): (adding, set, elements) = (false, name, list)
            }
            for start in stride(from: 0, to: elements.count, by: elementsPerMessage) {
                sequence += 1
                var change = Message(type: subsystemNftables << 8 | (adding ? newSetElement : deleteSetElement),
                                     flags: request | acknowledge | (adding ? create : 0), sequence: sequence, family: family)
                change.append(attribute: 1, string: table)      // NFTA_SET_ELEM_LIST_TABLE
                change.append(attribute: 2, string: set)        // NFTA_SET_ELEM_LIST_SET
                change.nest(3) { list in                        // NFTA_SET_ELEM_LIST_ELEMENTS
                    for element in elements[start..<Swift.min(elements.count, start + elementsPerMessage)] {
                        list.nest(1) { item in                  // NFTA_LIST_ELEM
                            item.nest(1) { $0.append(attribute: 1, bytes: element.key) }   // NFTA_SET_ELEM_KEY { NFTA_DATA_VALUE }
                            if let timeout = element.timeoutMilliseconds {
                                item.append(attribute: 4, bytes: withUnsafeBytes(of: UInt64(timeout).bigEndian) { Array($0) })
                            }
                        }
                    }
                }
                batch += change.finished()
            }
        }
        // Every change is acknowledged; a refused one is reported in its place, and the kernel
        // then aborts the whole batch. The last acknowledgement ends the answer.
        let acknowledged = sequence
        guard acknowledged > 1 else { return }
        sequence += 1
        var end = Message(type: batchEnd, flags: request, sequence: sequence, family: 0, resourceID: subsystemNftables)
        batch += end.finished()
        socket.reserveSendBuffer(batch.count + 4096)
        try socket.send(batch)
        try socket.receive(untilAcknowledged: acknowledged) { _, _ in }
    }

    /// The 4 or 16 bytes of a literal address (`inet_pton`'s strict forms).
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// One netlink message under construction: header, `nfgenmsg`, attributes.
    struct Message {
        private var storage: [UInt8] = []


        init(type: UInt16, flags: UInt16, sequence: UInt32, family: UInt8, resourceID: UInt16 = 0) {
            storage.append(contentsOf: [0, 0, 0, 0])                      // nlmsg_len, set at the end
            storage.append(contentsOf: Self.native(type))
            storage.append(contentsOf: Self.native(flags))
            storage.append(contentsOf: Self.native(sequence))
            storage.append(contentsOf: [0, 0, 0, 0])                      // nlmsg_pid: the kernel's
            storage.append(contentsOf: [family, 0])                       // nfgen_family, version
            storage.append(contentsOf: [UInt8(resourceID >> 8), UInt8(resourceID & 0xff)])   // res_id, big-endian
        }

        mutating func append(attribute kind: UInt16, bytes: [UInt8]) {
            storage.append(contentsOf: Self.native(UInt16(4 + bytes.count)))
            storage.append(contentsOf: Self.native(kind))
            storage.append(contentsOf: bytes)
            pad()
        }

        mutating func append(attribute kind: UInt16, string: String) {
            append(attribute: kind, bytes: Array(string.utf8) + [0])
        }

        mutating func nest(_ kind: UInt16, _ body: (inout Message) -> Void) {
            let start = storage.count
            storage.append(contentsOf: [0, 0])
            storage.append(contentsOf: Self.native(kind | NetfilterNetlink.nested))
            body(&self)
            let length = Self.native(UInt16(storage.count - start))
            storage[start] = length[0]
            storage[start + 1] = length[1]
        }

        /// The message with its length filled in.
        mutating func finished() -> [UInt8] {
            let length = Self.native(UInt32(storage.count))
            storage.replaceSubrange(0..<4, with: length)
            return storage
        }

        var bytes: [UInt8] { var copy = self; return copy.finished() }

        private mutating func pad() {
            while storage.count % 4 != 0 { storage.append(0) }
        }

        static func native<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.littleEndian) { Array($0) }
        }
    }

    /// The attributes (`nlattr`) of a payload, in order; stops at the first malformed one.
    struct Attributes: Sequence, IteratorProtocol {
        private var rest: ArraySlice<UInt8>

        init(_ payload: ArraySlice<UInt8>) { rest = payload }

        mutating func next() -> (UInt16, ArraySlice<UInt8>)? {
            guard rest.count >= 4 else { return nil }
            let start = rest.startIndex
            let length = Int(UInt16(rest[start]) | UInt16(rest[start + 1]) << 8)
            let kind = (UInt16(rest[start + 2]) | UInt16(rest[start + 3]) << 8) & ~NetfilterNetlink.nested
            guard length >= 4, length <= rest.count else { return nil }
            let value = rest[(start + 4)..<(start + length)]
            rest = rest.dropFirst(Swift.min(rest.count, (length + 3) & ~3))
            return (kind, value)
        }
    }

    /// A `NETLINK_NETFILTER` socket for requests.
    struct RequestSocket {
        let fd: Int32

        init() throws(Failure) {
            let fd = Glibc.socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NetlinkRulesetMonitor.netlinkNetfilter)
            guard fd >= 0 else { throw .socket(errno) }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            // Refusals carry only the header of the refused message, not its megabytes.
            var one: Int32 = 1
            _ = setsockopt(fd, 270, 10, &one, socklen_t(MemoryLayout<Int32>.size))   // SOL_NETLINK, NETLINK_CAP_ACK
            self.fd = fd
        }

        /// Makes room for a batch of `bytes` (a whole batch is one `sendmsg`).
        func reserveSendBuffer(_ bytes: Int) {
            guard bytes > 200_000 else { return }
            var size = Int32(clamping: bytes)
            if setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
        }

        func close() { _ = Glibc.close(fd) }

        func send(_ bytes: [UInt8]) throws(Failure) {
            // Unconnected, a netlink socket sends to the kernel (port 0).
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard sent == bytes.count else { throw .socket(sent < 0 ? errno : EMSGSIZE) }
        }

        /// Reads messages, handing each to `body`, until the acknowledgement (`NLMSG_ERROR`) of
        /// `sequence`; throws the kernel's error when it refused.
        func receive(untilAcknowledged sequence: UInt32, _ body: (UInt16, ArraySlice<UInt8>) -> Void) throws(Failure) {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .socket(errno)
                }
                var offset = 0
                while offset + 16 <= n {
                    let length = Int(buffer.littleEndianUInt32(at: offset))
                    guard length >= 16, offset + length <= n else { throw .malformed }
                    let type = UInt16(truncatingIfNeeded: buffer.littleEndianUInt32(at: offset + 4))
                    let answered = buffer.littleEndianUInt32(at: offset + 8)
                    if type == 2 {                                     // NLMSG_ERROR: the ack, or a refusal
                        guard length >= 20 else { throw .malformed }
                        let code = Int32(bitPattern: buffer.littleEndianUInt32(at: offset + 16))
                        if code != 0 { throw .kernel(-code) }
                        if answered == sequence { return }
                    } else if answered == sequence {
                        body(type, buffer[(offset + 16)..<(offset + length)])
                    }
                    offset += (length + 3) & ~3
                }
            }
        }
    }
}

extension ArraySlice<UInt8> {
    var bigEndianUInt32: UInt32? {
        guard count == 4 else { return nil }
        return reduce(0) { $0 << 8 | UInt32($1) }
    }
}

extension Array<UInt8> {
    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
}
