import Foundation
import Testing
import PortcullisClient

@Suite struct ControlFrameTests {
    private func payload(_ frame: [UInt8]) throws -> [UInt8] {
        try ControlFrame.payload(ofFrame: frame, limit: ControlFrame.maximumResponseLength)
    }

    private func text(_ frame: [UInt8]) throws -> String {
        String(decoding: try payload(frame), as: UTF8.self)
    }

    @Test func requestLayout() throws {
        let frame = ControlFrame.encode(request: ["status", "sshd"])
        #expect(Array(frame.prefix(4)) == [0, 0, 0, 17])
        #expect(try text(frame) == #"["status","sshd"]"#)
        #expect(try ControlFrame.decodeRequest(payload(frame)) == ["status", "sshd"])
    }

    @Test func responseLayout() throws {
        let ok = ControlFrame.encode(response: .ok(.pairs([("Number of jail", 1), ("Jail list", "sshd")])))
        #expect(try text(ok) == #"{"ok":[["Number of jail",1],["Jail list","sshd"]]}"#)
        let failure = ControlFrame.encode(response: .failure("Invalid command"))
        #expect(try text(failure) == #"{"error":"Invalid command"}"#)
    }

    @Test(arguments: [
        ControlValue.null, true, false, 0, -1, .int(Int.max), .int(Int.min), 600.0, 1.5, -0.25, 1e16, 5e-7,
        .double(.infinity), .double(-.infinity), "", "sshd", "quote \" back \\ slash", "tab\tnew\nline\u{1}\u{7f}",
        "é€😀 \u{2028}", [], ["a", 1, 2.0, nil, [true]], ["z": 1, "a": [], "m": ["k": "v"]],
        [["sshd": ["1.2.3.4"]], ["empty": []]],
    ])
    func valuesRoundTrip(value: ControlValue) throws {
        let frame = ControlFrame.encode(response: .ok(value))
        #expect(try ControlFrame.decodeResponse(payload(frame)) == .ok(value))
    }

    @Test func intAndFloatStayApart() throws {
        let frame = ControlFrame.encode(response: .ok([1, 1.0, 1e16]))
        #expect(try text(frame) == #"{"ok":[1,1.0,1e+16]}"#)
        #expect(try ControlFrame.decodeResponse(payload(frame)) == .ok([.int(1), .double(1), .double(1e16)]))
    }

    @Test func nanRoundTrips() throws {
        let frame = ControlFrame.encode(response: .ok(.double(.nan)))
        #expect(try text(frame) == #"{"ok":NaN}"#)
        guard case .ok(.double(let value)) = try ControlFrame.decodeResponse(payload(frame)) else {
            Issue.record("not a double")
            return
        }
        #expect(value.isNaN)
    }

    @Test func dictOrderIsKept() throws {
        let value: ControlValue = .dict([("sshd", []), ("apache-auth", ["9.9.9.9"]), ("empty", [])])
        let decoded = try ControlFrame.decodeResponse(payload(ControlFrame.encode(response: .ok(value))))
        #expect(decoded == .ok(value))
        #expect(decoded != .ok(.dict([("apache-auth", ["9.9.9.9"]), ("sshd", []), ("empty", [])])))
    }

    @Test func readsForeignButValidJSON() throws {
        let bytes = Array(#" { "ok" : [ "\u00e9\ud83d\ude00" , 2E3 , -0 , 1.5e+2 , {} ] } "#.utf8)
        #expect(try ControlFrame.decodeResponse(bytes) == .ok(["é😀", 2000.0, 0, 150.0, .dict([])]))
        #expect(try ControlFrame.decodeRequest(Array(#"["a\/b"]"#.utf8)) == ["a/b"])
        #expect(try ControlFrame.decodeResponse(Array(#"{"ok":123456789012345678901234567890}"#.utf8))
            == .ok(.double(Double("123456789012345678901234567890")!)))
    }

    @Test(arguments: [
        ("", ControlFrameError.empty),
        ("not json", .malformedJSON(reason: "unknown literal", offset: 0)),
        ("?", .malformedJSON(reason: "unexpected character", offset: 0)),
        ("[\"a\"", .malformedJSON(reason: "unterminated list", offset: 4)),
        ("[\"a\"] x", .malformedJSON(reason: "unexpected data after the value", offset: 6)),
        ("[\"a\" \"b\"]", .malformedJSON(reason: "expected ',' or ']'", offset: 5)),
        ("[\"\\ud800\"]", .malformedJSON(reason: "lone UTF-16 surrogate", offset: 8)),
        ("[\"\\q\"]", .malformedJSON(reason: "unknown escape", offset: 3)),
        ("[\"a\nb\"]", .malformedJSON(reason: "control character in string", offset: 3)),
        ("{\"ok\":1}", .unexpectedShape("a request must be a list of strings")),
        ("[\"status\", 1]", .unexpectedShape("a request must be a list of strings")),
        ("[01]", .malformedJSON(reason: "leading zeros are not allowed", offset: 3)),
    ])
    func badRequestsAreRejected(text: String, expected: ControlFrameError) {
        #expect(throws: expected) { try ControlFrame.decodeRequest(Array(text.utf8)) }
    }

    @Test func invalidUTF8IsRejected() {
        #expect(throws: ControlFrameError.malformedJSON(reason: "invalid UTF-8", offset: 2)) {
            try ControlFrame.decodeRequest([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])
        }
    }

    @Test func deepNestingIsRejected() {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: ControlFrameError.malformedJSON(reason: "nested deeper than 64", offset: 69)) {
            try ControlFrame.decodeResponse(Array(("{\"ok\":" + text + "}").utf8))
        }
    }

    @Test func badResponsesAreRejected() {
        let shape = ControlFrameError.unexpectedShape("a response must be {\"ok\": value} or {\"error\": message}")
        #expect(throws: shape) { try ControlFrame.decodeResponse(Array(#"["ok"]"#.utf8)) }
        #expect(throws: shape) { try ControlFrame.decodeResponse(Array(#"{"error":1}"#.utf8)) }
        #expect(throws: shape) { try ControlFrame.decodeResponse(Array(#"{"ok":1,"error":"x"}"#.utf8)) }
    }

    @Test func headerLimits() {
        #expect(throws: ControlFrameError.tooLarge(length: 0x7FFF_FFFF, limit: ControlFrame.maximumRequestLength)) {
            try ControlFrame.payloadLength(header: [0x7F, 0xFF, 0xFF, 0xFF], limit: ControlFrame.maximumRequestLength)
        }
        #expect(throws: ControlFrameError.empty) { try ControlFrame.payloadLength(header: [0, 0, 0, 0], limit: 10) }
        #expect(throws: ControlFrameError.truncated(expected: 5, received: 2)) {
            try ControlFrame.payload(ofFrame: [0, 0, 0, 5, 0x5B, 0x5D], limit: 10)
        }
        #expect(throws: Never.self) { try ControlFrame.payloadLength(header: [0, 0x10, 0, 0], limit: ControlFrame.maximumRequestLength) }
    }

    @Test func codableUsesNaturalJSONShapes() throws {
        let value: ControlValue = [nil, true, 3, 2.5, "x", [1, "a"], ["k": 1]]
        let data = try JSONEncoder().encode(value)
        #expect(String(decoding: data, as: UTF8.self) == #"[null,true,3,2.5,"x",[1,"a"],{"k":1}]"#)
        #expect(try JSONDecoder().decode(ControlValue.self, from: data) == value)
    }
}
