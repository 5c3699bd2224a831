import Testing
@testable import PortcullisClient

@Suite struct PythonTextTests {
    @Test func scalars() {
        #expect(PythonText.str(.null) == "None")
        #expect(PythonText.str(.bool(true)) == "True")
        #expect(PythonText.str(.bool(false)) == "False")
        #expect(PythonText.str(.int(-1)) == "-1")
        #expect(PythonText.str("warn") == "warn")
        #expect(PythonText.repr("warn") == "'warn'")
    }

    @Test(arguments: [
        (600.0, "600.0"), (2629800.0, "2629800.0"), (0.5, "0.5"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
        (9007199254740992.0, "9007199254740992.0"), (0.0001, "0.0001"), (0.00001, "1e-05"), (1.5e-7, "1.5e-07"),
        (-2.25, "-2.25"), (0.0, "0.0"), (-0.0, "-0.0"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (Double.leastNonzeroMagnitude, "5e-324"), (123456789.125, "123456789.125"), (Double.infinity, "inf"), (0.1 + 0.2, "0.30000000000000004"),
    ])
    func floats(value: Double, expected: String) {
        #expect(PythonText.float(value) == expected)
    }

    @Test func stringQuoting() {
        #expect(PythonText.repr(string: "it's") == "\"it's\"")
        #expect(PythonText.repr(string: "say \"hi\" it's") == "'say \"hi\" it\\'s'")
        #expect(PythonText.repr(string: "a\\b\n\t\r") == "'a\\\\b\\n\\t\\r'")
        #expect(PythonText.repr(string: "\u{1}\u{7f}\u{85}\u{2028}é€😀") == "'\\x01\\x7f\\x85\\u2028é€😀'")
    }

    @Test func containers() {
        let banned: ControlValue = [["sshd": ["1.2.3.4", "5.6.7.8"]], ["apache-auth": ["9.9.9.9"]], ["empty": []]]
        #expect(PythonText.str(banned) == "[{'sshd': ['1.2.3.4', '5.6.7.8']}, {'apache-auth': ['9.9.9.9']}, {'empty': []}]")
        #expect(PythonText.str([["sshd"], []]) == "[['sshd'], []]")
        #expect(PythonText.str(["stacksize": 0]) == "{'stacksize': 0}")
    }
}
