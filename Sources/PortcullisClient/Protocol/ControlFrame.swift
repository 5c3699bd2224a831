/// Framing of the control socket: one length-prefixed JSON document per message.
///
/// ```
/// frame    = length payload
/// length   = 4 bytes, unsigned, big-endian: the payload's size in bytes (1 ... limit)
/// payload  = UTF-8 JSON (see below)
///
/// request  = ["status", "sshd"]                 the command words, exactly as typed
/// response = {"ok": VALUE} | {"error": "message"}
/// VALUE    = null | true | false | INT | FLOAT | "string" | [VALUE, ...] | {"key": VALUE, ...}
/// ```
///
/// An INT has no fraction or exponent; a FLOAT always has one (`600.0`, `1e+16`, and
/// `Infinity`/`NaN` as Python's `json` writes them). Objects keep their key order (Python dicts
/// are ordered). A connection carries any number of request/response pairs in turn; the client
/// closes it when done. A reader rejects a header announcing more than its limit before reading
/// the payload (`maximumRequestLength` on the server, `maximumResponseLength` on the client),
/// answers garbage with an `{"error": ...}` and closes.
///
/// Why not fail2ban's pickle stream: pickle is Python-only and unsafe to load from a peer;
/// why a length prefix: a reader knows the size before reading and never scans for a terminator.
public enum ControlFrame {
    /// Bytes of the length header.
    public static let headerLength = 4
    /// Largest request the server reads (a command line never comes near it).
    public static let maximumRequestLength = 1 << 20
    /// Largest response the client reads (room for hundreds of thousands of banned addresses).
    public static let maximumResponseLength = 64 << 20

    // MARK: Requests

    public static func encode(request: [String]) -> [UInt8] {
        frame(ControlJSON.encode(.list(request.map(ControlValue.string))))
    }

    /// The command words of a request payload (the bytes after the header).
    public static func decodeRequest(_ payload: [UInt8]) throws(ControlFrameError) -> [String] {
        let value = try decodePayload(payload, limit: maximumRequestLength)
        guard case .list(let items) = value else { throw .unexpectedShape("a request must be a list of strings") }
        var words: [String] = []
        words.reserveCapacity(items.count)
        for item in items {
            guard case .string(let word) = item else { throw .unexpectedShape("a request must be a list of strings") }
            words.append(word)
        }
        return words
    }

    // MARK: Responses

    public static func encode(response: ControlResponse) -> [UInt8] {
        switch response {
        case .ok(let value): return frame(ControlJSON.encode(.dict([("ok", value)])))
        case .failure(let message): return frame(ControlJSON.encode(.dict([("error", .string(message))])))
        }
    }

    /// The response in a response payload (the bytes after the header).
    public static func decodeResponse(_ payload: [UInt8]) throws(ControlFrameError) -> ControlResponse {
        let value = try decodePayload(payload, limit: maximumResponseLength)
        guard case .dict(let entries) = value, entries.count == 1 else {
            throw .unexpectedShape("a response must be {\"ok\": value} or {\"error\": message}")
        }
        switch entries[0] {
        case ("ok", let result): return .ok(result)
        case ("error", .string(let message)): return .failure(message)
        default: throw .unexpectedShape("a response must be {\"ok\": value} or {\"error\": message}")
        }
    }

    // MARK: Header

    /// The payload length a header announces, checked against `limit`.
    public static func payloadLength(header: [UInt8], limit: Int) throws(ControlFrameError) -> Int {
        precondition(header.count == headerLength, "a control frame header is \(headerLength) bytes")
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        if length == 0 { throw .empty }
        if length > limit { throw .tooLarge(length: length, limit: limit) }
        return length
    }

    /// Splits one complete frame (header and payload, nothing more) into its payload.
    public static func payload(ofFrame bytes: [UInt8], limit: Int) throws(ControlFrameError) -> [UInt8] {
        guard bytes.count >= headerLength else { throw .truncated(expected: headerLength, received: bytes.count) }
        let length = try payloadLength(header: Array(bytes[0..<headerLength]), limit: limit)
        let received = bytes.count - headerLength
        guard received >= length else { throw .truncated(expected: length, received: received) }
        guard received == length else { throw .malformedJSON(reason: "data after the frame", offset: headerLength + length) }
        return Array(bytes[headerLength...])
    }

    private static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(truncatingIfNeeded: payload.count)
        var bytes: [UInt8] = [
            UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
            UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length),
        ]
        bytes.reserveCapacity(headerLength + payload.count)
        bytes += payload
        return bytes
    }

    private static func decodePayload(_ payload: [UInt8], limit: Int) throws(ControlFrameError) -> ControlValue {
        if payload.isEmpty { throw .empty }
        if payload.count > limit { throw .tooLarge(length: payload.count, limit: limit) }
        return try ControlJSON.decode(payload)
    }
}
