import Foundation
import Testing
import Web

@Suite("HTML parsing and XPath")
struct HTMLDocumentTests {
    @Test func recoversATreeFromMalformedMarkup() throws {
        let html = "<html><head><title>Broken <b>page</title><body><p>one<p>two<table><td>cell</table>< stray &bogus; <a href=/x>link"
        let document = try #require(HTMLDocument(body: Array(html.utf8)))
        #expect(document.firstString("//title")?.hasPrefix("Broken") == true)
        #expect(document.strings("//a/@href") == ["/x"])
        #expect(document.elements("//p").count == 2)
        #expect(document.visibleText().contains("cell"))
    }

    @Test func readsAttributesAndTextOfElements() throws {
        let html = #"<html><head><meta property="og:title" content="Acme &amp; Co"></head><body><a href="/a" class="nav">About <em>us</em></a></body></html>"#
        let document = try #require(HTMLDocument(body: Array(html.utf8)))
        let meta = try #require(document.elements("//meta").first)
        #expect(meta["property"] == "og:title")
        #expect(meta["content"] == "Acme & Co")
        let link = try #require(document.elements("//a").first)
        #expect(link.text == "About us")
        #expect(link["class"] == "nav")
    }

    @Test func leavesScriptsOutOfTheVisibleText() throws {
        let html = "<html><body><p>Hello</p><script>var hidden = 1;</script><style>p{}</style><p>World</p></body></html>"
        let document = try #require(HTMLDocument(body: Array(html.utf8)))
        #expect(document.visibleText() == "Hello World")
    }

    @Test func neverExpandsExternalEntities() throws {
        let html = #"<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><p>&xxe;</p></body></html>"#
        let document = try #require(HTMLDocument(body: Array(html.utf8)))
        #expect(!document.visibleText().contains("root:"))
    }

    @Test func decodesWindows1252WhenContentTypeSaysISO88591() throws {
        let bytes: [UInt8] = Array("<html><head><title>Caf".utf8) + [0xE9, 0x20, 0x97, 0x20, 0x93, 0x71, 0x94] + Array("</title></head></html>".utf8)
        let document = try #require(HTMLDocument(body: bytes, contentType: "text/html; charset=ISO-8859-1"))
        #expect(document.firstString("//title") == "Café — “q”")
    }

    @Test func decodesTheCharsetAMetaTagDeclares() throws {
        let bytes: [UInt8] = Array(#"<html><head><meta charset="windows-1252"><title>M"#.utf8) + [0xFC] + Array("ller</title></head></html>".utf8)
        let document = try #require(HTMLDocument(body: bytes, contentType: "text/html"))
        #expect(document.firstString("//title") == "Müller")
    }

    @Test(arguments: [
        ("text/html; charset=UTF-8", "<html></html>", "UTF-8"),
        ("text/html; charset=\"iso-8859-1\"", "<html></html>", "windows-1252"),
        ("text/html", #"<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">"#, "shift_jis"),
        ("text/html", #"<meta charset='utf-8'>"#, "UTF-8"),
        ("text/html", "<p>plain ascii</p>", "UTF-8"),
    ])
    func picksTheCharset(contentType: String, body: String, expected: String) {
        #expect(CharsetSniffer.encoding(contentType: contentType, body: Array(body.utf8)) == expected)
    }

    @Test func fallsBackToWindows1252ForUndeclaredNonUTF8Bytes() {
        #expect(CharsetSniffer.encoding(contentType: nil, body: [0x3C, 0x70, 0x3E, 0xE9]) == "windows-1252")
    }
}

@Suite("HTML text laid out in lines")
struct HTMLVisibleLinesTests {
    @Test func breaksLinesAtBlocksAndBrButNotAtInlineElements() throws {
        let html = "<html><body><address>Acme <b>Anvils</b><br>+1 (555) 010-0142<br>12 Main Street</address><p>Call <span>+44</span> 20</p><script>x=1</script></body></html>"
        let document = try #require(HTMLDocument(body: Array(html.utf8)))
        #expect(document.visibleLines() == ["Acme Anvils", "+1 (555) 010-0142", "12 Main Street", "Call +44 20"])
    }

    @Test func givesAnElementItsEnclosingBlockAndAncestors() throws {
        let html = #"<html><body><footer class="site-footer"><p>Website by <a href="mailto:hi@agency.test">Pixel</a></p></footer></body></html>"#
        let document = try #require(HTMLDocument(body: Array(html.utf8)))
        let link = try #require(document.elementsInContext("//a").first)
        #expect(link.enclosingText == "Website by Pixel")
        #expect(link.ancestorMarkers.contains("footer site-footer"))
    }
}
