import Testing
@testable import PortcullisFilter

@Suite struct FilterTagsTests {
    @Test func customFieldTagsBecomeNamedGroups() {
        #expect(FilterTags.expand("<F-USER>x</F-USER>") == "(?P<user>x)")
        #expect(FilterTags.expand("<F-ID>x</F-ID> <F-PORT>1</F-PORT>") == "(?P<fid>x) (?P<fport>1)")
        // A closing tag that was never opened stays as written; lowercase names are not tags.
        #expect(FilterTags.expand("</F-USER> <user>") == "</F-USER> <user>")
    }

    @Test func hostRespectsUseDns() {
        #expect(FilterTags.expand("<HOST>", useDns: "no").contains("ip4"))
        #expect(!FilterTags.expand("<HOST>", useDns: "no").contains("dns"))
        #expect(FilterTags.expand("<HOST>").contains("(?P<dns>"))
    }

    @Test func skipLinesAreNumbered() {
        let expanded = FilterTags.expand("a<SKIPLINES>b<SKIPLINES>c")
        #expect(expanded.contains("skiplines0") && expanded.contains("skiplines1"))
    }
}
