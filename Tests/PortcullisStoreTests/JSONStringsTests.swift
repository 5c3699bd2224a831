@testable import PortcullisStore
import Foundation
import Testing

@Suite struct JSONStringsTests {
    static let samples: [[String]] = [
        [], [""], ["plain"], ["a", "b", "c"],
        ["quote \" backslash \\ slash /", "tab\tnewline\ncr\r", "\u{0}\u{1}\u{1F}\u{7F}"],
        ["Ünïcödé 日本 🚪", "\u{FFFD}", "\u{10FFFF}"],
    ]

    @Test(arguments: samples) func arraysRoundTrip(_ strings: [String]) throws {
        let text = JSONStrings.encode(strings)
        #expect(JSONStrings.decodeArray(text) == strings)
        // Standard JSON: Foundation reads the same strings.
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(foundation == strings)
    }

    @Test func objectsRoundTripWithSortedKeys() throws {
        let fields = ["b": "two \"quoted\"", "a": "one\n", "ü": "日本"]
        let text = JSONStrings.encode(fields)
        #expect(text == #"{"a":"one\n","b":"two \"quoted\"","ü":"日本"}"#)
        #expect(JSONStrings.decodeObject(text) == fields)
        #expect(JSONStrings.decodeObject("{}") == [:])
    }

    @Test func decodesJSONWrittenByOthers() {
        #expect(JSONStrings.decodeArray(#" [ "a" , "\u00fc\ud83d\udeaa\/\b\f" ] "#) == ["a", "ü🚪/\u{8}\u{C}"])
        #expect(JSONStrings.decodeArray(#"["lone \ud800 surrogate"]"#) == ["lone \u{FFFD} surrogate"])
    }

    @Test(arguments: ["", "[", "]", "[1]", #"["a",]"#, #"["a"] x"#, #"["a\q"]"#, #"["\u12"]"#, "{\"a\":1}"])
    func rejectsWhatIsNotAListOfStrings(_ text: String) {
        #expect(JSONStrings.decodeArray(text) == nil)
    }
}
