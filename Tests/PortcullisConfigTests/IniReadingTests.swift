import Testing
import Foundation
@testable import PortcullisConfig
import PortcullisTestSupport

@Suite struct IniReadingTests {
    @Test func multiLineValuesCommentsAndCase() throws {
        let text = """
        # full-line comment
        [Definition]
        FailRegex = ^one <HOST>$
                    ; comment inside a value is skipped
                    ^two <HOST>$

                    ^three <HOST>$
        inline = value ; inline comment
        hash = value # not a comment
        semi = a;b
        colon: yes

        """
        let ini = try IniFile(path: "/x/f.conf", text: text)
        let def = try #require(ini.sections.first { $0.name == "Definition" }?.options)
        #expect(def["failregex"]?.value == "^one <HOST>$\n^two <HOST>$\n\n^three <HOST>$")
        #expect(def["failregex"]?.location == SourceLocation(file: "/x/f.conf", line: 3))
        #expect(def["inline"]?.value == "value")
        #expect(def["hash"]?.value == "value # not a comment")
        #expect(def["semi"]?.value == "a;b")
        #expect(def["colon"]?.value == "yes")
        #expect(def["inline"]?.location?.line == 8)
    }

    @Test func duplicateOptionInOneFileIsAnErrorWithLine() {
        #expect { try IniFile(path: "/x/dup.conf", text: "[a]\nx = 1\nx = 2\n") } throws: { error in
            (error as? ConfigError)?.description == "/x/dup.conf:3: option 'x' in section [a] already exists in this file"
        }
    }

    @Test func malformedLinesAreErrorsWithLine() {
        #expect { try IniFile(path: "/x/bad.conf", text: "x = 1\n") } throws: { error in
            (error as? ConfigError)?.line == 1
        }
        #expect { try IniFile(path: "/x/bad.conf", text: "[a]\nx = 1\njust words\n") } throws: { error in
            let e = error as? ConfigError
            return e?.line == 3 && e?.file == "/x/bad.conf"
        }
    }

    @Test func readOrderConfDLocalDLocal() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("jail.conf", "[DEFAULT]\nbantime = 1\n[s]\na = conf\nb = conf\nc = conf\nd = conf\n")
        try dir.write("jail.d/10-x.conf", "[s]\nb = d-conf\nc = d-conf\nd = d-conf\n")
        try dir.write("jail.local", "[s]\nc = local\nd = local\n")
        try dir.write("jail.d/20-y.local", "[s]\nd = d-local\n")
        try dir.write("jail.d/.hidden.conf", "[s]\na = hidden\n")
        let files = ConfigFileSet.unitFiles(named: "jail", in: dir.path)
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["jail.conf", "10-x.conf", "jail.local", "20-y.local"])
        let parser = try ConfigParserWithIncludes(paths: ConfigFileSet.withIncludes(files, cache: IniFileCache()), cache: IniFileCache())
        #expect(try parser.get("s", "a") == "conf")
        #expect(try parser.get("s", "b") == "d-conf")
        #expect(try parser.get("s", "c") == "local")
        #expect(try parser.get("s", "d") == "d-local")
        #expect(try parser.get("s", "bantime") == "1")
        #expect(parser.rawValue("s", "d")?.location?.file.hasSuffix("jail.d/20-y.local") == true)
    }

    @Test func includesBeforeAfterWithTheirLocals() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("filter.d/x.conf", "[INCLUDES]\nbefore = common.conf\nafter = x-after.conf\n[Definition]\nv = main %(c)s\n")
        try dir.write("filter.d/common.conf", "[Definition]\nc = common\nv = from-common\n")
        try dir.write("filter.d/common.local", "[Definition]\nc = common-local\n")
        try dir.write("filter.d/x-after.conf", "[Definition]\nafter = yes\n")
        let files = try ConfigFileSet.withIncludes(ConfigFileSet.unitFiles(named: "filter.d/x", in: dir.path), cache: IniFileCache())
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["common.conf", "common.local", "x.conf", "x-after.conf"])
        let parser = try ConfigParserWithIncludes(paths: files, cache: IniFileCache())
        #expect(try parser.get("Definition", "v") == "main common-local")
        #expect(try parser.get("Definition", "after") == "yes")
    }

    @Test func conditionalSectionsFoldIntoInit() throws {
        let ini = try IniFile(path: "/x/a.conf", text: "[Init]\nblocktype = REJECT\n[Init?family=inet6]\nblocktype = REJECT6\n")
        let parser = ConfigParserWithIncludes(files: [ini])
        #expect(parser.options("Init") == ["blocktype", "blocktype?family=inet6"])
    }
}
