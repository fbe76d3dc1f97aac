@testable import LeadIO
import LeadSampleGenerator
import Testing

/// The reader's byte-level checks against the standard library's, on hand-picked and seeded random bytes.
@Suite("Byte scanning")
struct ByteScanningTests {
    static let cases: [[UInt8]] = [
        [], Array("plain ascii, longer than eight bytes".utf8), Array("Göteborg".utf8), Array("東京 and 🎉 emoji".utf8),
        [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x41], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
        [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
        [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], Array("abcdefgh".utf8) + [0xE2, 0x82], Array("abcdefg".utf8) + [0xE2, 0x82, 0xAC],
    ]

    @Test func validatesUTF8AsTheStandardLibraryDoes() {
        var random = SeededRandom(seed: 7) // seeded, so a failure can be replayed
        var inputs = Self.cases
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &random)
            // Mostly ASCII with lead and continuation bytes mixed in, where the edge cases are.
            inputs.append((0..<length).map { _ in
                switch Int.random(in: 0..<10, using: &random) {
                case 0: UInt8.random(in: 0x80...0xBF, using: &random)
                case 1: UInt8.random(in: 0xC0...0xFF, using: &random)
                default: UInt8.random(in: 0x20...0x7E, using: &random)
                }
            })
        }
        for bytes in inputs {
            bytes.withUnsafeBufferPointer { buffer in
                let expected = String(validating: buffer, as: UTF8.self) != nil
                #expect(UTF8Validation.isValid(buffer, 0, buffer.count) == expected, "\(bytes)")
                #expect(UTF8Validation.isASCII(buffer, 0, buffer.count) == bytes.allSatisfy { $0 < 0x80 })
            }
        }
    }

    @Test func findsTheFirstDelimiterAtAnyPosition() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...30, using: &random)).map { _ in
                [UInt8(ascii: ","), UInt8(ascii: "a"), 0x00, 0x80, 0xFF, 0x2B, 0x2D][Int.random(in: 0..<7, using: &random)]
            }
            let start = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
            bytes.withUnsafeBufferPointer { buffer in
                let expected = bytes[start...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
                #expect(DelimitedFieldParser.find(UInt8(ascii: ","), buffer, from: start, to: bytes.count) == expected, "\(bytes) from \(start)")
            }
        }
    }
}
