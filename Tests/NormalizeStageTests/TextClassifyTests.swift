import LeadFacts
@testable import NormalizeStage
import Testing

/// `TextCleanup.classify` reads eight bytes at a time; it must decide exactly as a byte-by-byte reading does.
@Suite("clean-up classification")
struct TextClassifyTests {
    /// The byte-by-byte reading `classify` started from.
    static func reference(_ bytes: [UInt8]) -> TextCleanup.Work {
        var previousSpace = true
        var needsWork = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x80 { break }
            let space = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
            if space && (previousSpace || b != 0x20) { needsWork = true }
            previousSpace = space
            i += 1
        }
        if i == bytes.count { return needsWork || (previousSpace && !bytes.isEmpty) ? .collapse(latin: false) : .clean }
        while i < bytes.count {
            if bytes[i] >= 0xCC { return .unicode }
            i += 1
        }
        return .collapse(latin: true)
    }

    @Test func decidesAsTheByteByByteReadingOnRandomText() {
        // Spaces, tabs, line ends, other control bytes, DEL, letters and Latin-1 lead bytes, at many lengths.
        let alphabet: [UInt8] = [0x20, 0x20, 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x01, 0x7F, 0x41, 0x61, 0x7A, 0x2E, 0x30]
        var random = SplitMix64(seed: 22)
        for _ in 0..<20_000 {
            let length = Int(random.next() % 40)
            var bytes = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            if length > 0 && random.next() % 8 == 0 { bytes[Int(random.next() % UInt64(length))] = 0xC3 }
            if length > 0 && random.next() % 16 == 0 { bytes[Int(random.next() % UInt64(length))] = 0xE2 }
            let got = bytes.withUnsafeBufferPointer { TextCleanup.classify($0) }
            #expect(got == Self.reference(bytes), "\(bytes)")
        }
    }

    @Test(arguments: ["Granite Ventures One 9723 PLC", "Granite  Ventures", "Granite Ventures One 9723 PLC ", " Granite Ventures One",
                      "abcdefg  hijklmn", "abcdefgh hijklmno", "abcdefg hijklmnop", "1234567 ", "1234567  x", "12345678 x",
                      "Head of\tSales and Marketing", "exactly8"])
    func decidesAsTheByteByByteReadingOnCompanyNames(text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { TextCleanup.classify($0) } == Self.reference(bytes))
    }
}
