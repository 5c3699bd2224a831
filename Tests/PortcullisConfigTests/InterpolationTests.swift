import Testing
@testable import PortcullisConfig

@Suite struct InterpolationTests {
    func parser(_ texts: [String]) throws -> ConfigParserWithIncludes {
        try ConfigParserWithIncludes(files: texts.enumerated().map { try IniFile(path: "/t/\($0.offset).conf", text: $0.element) })
    }

    @Test func plainSectionDefaultAndPercent() throws {
        let p = try parser(["""
        [DEFAULT]
        port = ssh
        action_ = ban[port=%(port)s]
        [other]
        x = from-other
        [jail]
        port = 22
        a = %(action_)s
        b = %(other/x)s
        c = %(default/port)s
        d = 100%%
        e = %(__name__)s
        """])
        #expect(try p.get("jail", "a") == "ban[port=22]")   // referenced values are interpolated in the jail's context
        #expect(try p.get("jail", "b") == "from-other")
        #expect(try p.get("jail", "c") == "ssh")
        #expect(try p.get("jail", "d") == "100%")
        #expect(try p.get("jail", "e") == "jail")
        #expect(try p.get("jail", "port", vars: OrderedOptions([("port", "2222")])) == "2222")
        #expect(try p.get("jail", "missing") == nil)
    }

    @Test func knownRefersToTheEarlierDefinition() throws {
        let p = try parser(["[sshd]\nport = ssh\n", "[sshd]\nport = %(known/port)s,2222\n", "[DEFAULT]\nonlydefault = d\n[sshd]\nz = %(known/onlydefault)s\n"])
        #expect(try p.get("sshd", "port") == "ssh,2222")
        #expect(try p.get("sshd", "z") == "d")
    }

    @Test func missingReferenceNamesFileLineAndOption() throws {
        let p = try parser(["[jail]\n\nbantime = %(nope)s\n"])
        #expect { try p.get("jail", "bantime") } throws: { error in
            (error as? ConfigError)?.description == "/t/0.conf:3: option 'bantime' in [jail] refers to %(nope)s, but 'nope' is not defined"
        }
    }

    @Test func recursionLimit() throws {
        let p = try parser(["[jail]\na = %(b)s\nb = %(a)s\n"])
        #expect { try p.get("jail", "a") } throws: { error in
            (error as? ConfigError)?.message.contains("deeper than 10 levels") == true
        }
    }

    @Test func badPercentSyntax() throws {
        let p = try parser(["[jail]\na = 50% off\n"])
        #expect { try p.get("jail", "a") } throws: { error in (error as? ConfigError)?.line == 2 }
    }

    @Test func getExReadsSectionSlashOption() throws {
        let p = try parser(["[Definition]\nlogtype = file\n[lt_file]\n__prefix_line = PFX\n"])
        #expect(try p.getEx("Definition", "lt_file/__prefix_line") == "PFX")
    }
}
