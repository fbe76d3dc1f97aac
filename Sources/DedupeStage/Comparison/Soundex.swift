/// American Soundex (the 1918 Russell/Odell code as used by the US census), a blocking key that
/// puts "Smith" and "Smyth" in the same block.
package enum Soundex {
    // Codes for a…z; 0 = vowel-like (dropped), 7 = h/w (transparent between equal codes).
    private static let codes: [UInt8] = [0, 1, 2, 3, 0, 1, 2, 7, 0, 2, 2, 4, 5, 5, 0, 1, 2, 6, 2, 3, 0, 1, 7, 2, 0, 2]

    /// The four-character code ("S530"), or "" when the text has no letter.
    public static func code<C: Collection>(_ folded: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        var last: UInt8 = 255
        for byte in folded {
            guard byte >= 0x61 && byte <= 0x7A else { continue }
            let code = codes[Int(byte - 0x61)]
            if out.isEmpty {
                out.append(byte - 0x20)
                last = code
                continue
            }
            if code == 7 { continue }  // h and w do not separate equal codes
            if code != 0 && code != last { out.append(0x30 + code) }
            last = code
            if out.count == 4 { break }
        }
        if out.isEmpty { return "" }
        while out.count < 4 { out.append(0x30) }
        return String(decoding: out, as: UTF8.self)
    }
}
