import LeadFacts
import Testing

/// ``CompanyKey/withASCIIKey(_:_:)``, the key on a name's bytes that normalize writes straight into its row.
@Suite("company key on bytes")
struct CompanyKeyBytesTests {
    static func bytesKey(_ key: CompanyKey, _ name: String) -> String? {
        var name = name
        var result: String?
        let done = name.withUTF8 { bytes in key.withASCIIKey(bytes) { result = String(decoding: $0, as: UTF8.self) } }
        #expect(done == (result != nil))
        return result
    }

    @Test(arguments: ["ACME Corp.", "The Acme Company", "Initech Pty Ltd", "Granite Ventures One 9723 PLC", "AT&T", "", "Inc",
                      "Acme Holding AG", "GmbH & Co. KG", "x Holding AG", "the"])
    func givesTheKeyOfShortASCIINames(name: String) {
        for key in [CompanyKey.standard, CompanyKey(extraLegalForms: ["Holding AG", "x"])] {
            #expect(Self.bytesKey(key, name) == key.key(name), "\(name)")
        }
    }

    @Test(arguments: ["Müller GmbH", "Société Générale SA", String(repeating: "Acme ", count: 30)])
    func leavesOtherNamesToTheStringPath(name: String) {
        #expect(Self.bytesKey(CompanyKey.standard, name) == nil)
    }
}
