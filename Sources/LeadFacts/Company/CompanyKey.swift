import Foundation

/// The one key under which spellings of a company meet, in every stage: normalize's `norm_company_key`,
/// firmographic_merge's name join, dedupe's company comparison and decay's "company changed".
///
/// `Acme, Inc.`, `ACME Incorporated`, `The Acme Company` and `Acmé GmbH & Co. KG` all key as `acme`:
/// - case, accents and width are folded (``TextFolding``);
/// - letters and digits make words; `'`, `’` and `.` join (`O'Reilly` → `oreilly`, `S.A.` → `sa`);
///   `&` and `+` read as the word `and`; anything else separates words;
/// - a leading `the` is dropped, and legal forms and group words (`Resources/legal_forms.txt`, plus a
///   pipeline's own) are dropped from the end, longest first and repeatedly (`Pty Ltd`, `GmbH & Co. KG`),
///   but never the last word left (`The Company` keys as `company`).
public struct CompanyKey: Sendable {
    /// The shipped legal forms, each as its words.
    public static let shippedLegalForms: [String] = ListText.entries("legal_forms.txt")

    /// The key with the shipped legal forms only.
    public static let standard = CompanyKey()

    /// Legal forms by their last word; each form as its words' bytes, longest first.
    private let formsByLastWord: [String: [[[UInt8]]]]
    /// ``formsByLastWord`` looked up by bytes, for ``withASCIIKey(_:_:)``.
    private let legalForms: LegalFormTable
    /// Every form written with single spaces, for ``distinctiveKey(_:)``.
    private let wholeForms: Set<String>

    /// A key that also drops `extraLegalForms` (written as people write them: `Holding AG`, `S.à r.l.`).
    public init(extraLegalForms: [String] = []) {
        var forms = Self.shippedLegalForms.map { $0.split(separator: " ").map(String.init) }
        forms += extraLegalForms.map { Self.words(of: $0) }.filter { !$0.isEmpty }
        var byLastWord: [String: [[[UInt8]]]] = [:]
        var whole: Set<String> = []
        for form in forms where whole.insert(form.joined(separator: " ")).inserted {
            byLastWord[form.last!, default: []].append(form.map { Array($0.utf8) })
        }
        formsByLastWord = byLastWord.mapValues { $0.sorted { $0.count > $1.count } }
        legalForms = LegalFormTable(formsByLastWord)
        wholeForms = whole
    }

    /// The key of a company name; `""` for a name without letters or digits.
    public func key(_ company: String) -> String {
        if let key = asciiKey(company) { return key }
        var words = Self.words(of: company)
        dropAffixes(&words)
        return words.joined(separator: " ")
    }

    /// ``key(_:)`` for a short ASCII name without a string per word: its words are written once, space
    /// separated, into a stack buffer and the key is the slice left after the affixes (normalize keys a
    /// million names per run). `nil` for other names, which take the general path.
    private func asciiKey(_ company: String) -> String? {
        var key: String?
        let done = company.utf8.withContiguousStorageIfAvailable { name in
            withASCIIKey(name) { key = String(decoding: $0, as: UTF8.self) }
        }
        return done == true ? key : nil
    }

    /// Calls `body` with the bytes of ``key(_:)`` of the name `name` (UTF-8) when the key can be made on
    /// bytes (a short ASCII name) and returns `true`; returns `false` without calling it otherwise.
    public func withASCIIKey(_ name: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        let maxBytes = 256
        guard name.count <= maxBytes / 2 else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxBytes) { text -> Bool in
                // Word starts fit 16 bits (text stays under `maxBytes`); 2 × 256 bytes keeps both buffers on the stack,
                // where 8-byte starts went to the heap for every name.
                withUnsafeTemporaryAllocation(of: Int16.self, capacity: maxBytes) { starts -> Bool in
                    // Words back to back with one space between; word w is text[starts[w]..<end(w)].
                    // One pass over the name, its state in locals (a million names per run).
                    var length = 0, count = 0, inWord = false
                    for byte in name {
                        let lower = byte | 0x20
                        if lower &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 {
                            if !inWord {
                                if length > 0 { text[length] = 0x20; length += 1 }
                                starts[count] = Int16(truncatingIfNeeded: length)
                                count += 1
                                inWord = true
                            }
                            // Letters lower-cased; digits have the 0x20 bit already.
                            text[length] = lower
                            length += 1
                        } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: ".") {
                            continue
                        } else if byte >= 0x80 {
                            return false
                        } else if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "+") {
                            if length > 0 { text[length] = 0x20; length += 1 }
                            starts[count] = Int16(truncatingIfNeeded: length)
                            count += 1
                            text[length] = UInt8(ascii: "a")
                            text[length + 1] = UInt8(ascii: "n")
                            text[length + 2] = UInt8(ascii: "d")
                            length += 3
                            inWord = false
                        } else {
                            inWord = false
                        }
                        if length > maxBytes - 8 { return false }
                    }
                    func start(_ w: Int) -> Int { Int(starts[w]) }
                    func end(_ w: Int) -> Int { w + 1 < count ? start(w + 1) - 1 : length }
                    func word(_ w: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: text[start(w)..<end(w)]) }
                    /// Whether `form`'s words are the name's words ending with word `last`.
                    func endsWith(_ form: [[UInt8]], at last: Int) -> Bool {
                        var w = last - form.count + 1
                        for formWord in form {
                            let wordStart = start(w), wordEnd = end(w)
                            guard formWord.count == wordEnd - wordStart else { return false }
                            let same = formWord.withUnsafeBufferPointer {
                                memcmp($0.baseAddress!, text.baseAddress! + wordStart, wordEnd - wordStart) == 0
                            }
                            guard same else { return false }
                            w += 1
                        }
                        return true
                    }
                    var first = 0, last = count - 1
                    if count - first > 1, end(first) - start(first) == 3, text[start(first)] == UInt8(ascii: "t"),
                       text[start(first) + 1] == UInt8(ascii: "h"), text[start(first) + 2] == UInt8(ascii: "e") {
                        first += 1
                    }
                    while last > first, let group = legalForms.index(of: word(last)) {
                        // Longest first; a form as long as what is left would leave nothing, so it is not a suffix here.
                        let left = last - first + 1
                        guard let form = legalForms.forms[group].first(where: { $0.count < left && endsWith($0, at: last) }) else { break }
                        last -= form.count
                    }
                    if count > 0 {
                        body(UnsafeBufferPointer(rebasing: text[start(first)..<end(last)]))
                    } else {
                        body(UnsafeBufferPointer(start: nil, count: 0))
                    }
                    return true
                }
            }
    }

    /// The key, or `nil` when nothing in it tells one company from another: every word left is a legal
    /// form or group word (`The Company`, `Holding GmbH`), or there is no word at all.
    public func distinctiveKey(_ company: String) -> String? {
        var words = Self.words(of: company)
        dropAffixes(&words)
        guard !words.isEmpty, !words.allSatisfy({ wholeForms.contains($0) || $0 == "the" }) else { return nil }
        return words.joined(separator: " ")
    }

    private func dropAffixes(_ words: inout [String]) {
        if words.count > 1, words[0] == "the" { words.removeFirst() }
        while words.count > 1, let forms = formsByLastWord[words[words.count - 1]] {
            // Longest first; a form as long as the name would leave nothing, so it is not a suffix here.
            guard let form = forms.first(where: { form in
                form.count < words.count && zip(form, words[(words.count - form.count)...]).allSatisfy { $0.elementsEqual($1.utf8) }
            }) else { break }
            words.removeLast(form.count)
        }
    }

    /// The words of a name as the key reads them (see the type's summary).
    public static func words(of name: String) -> [String] {
        var words: [String] = []
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            // Byte by byte: a million names per run, and the Unicode path costs a microsecond each.
            var word: [UInt8] = []
            func flush() {
                if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
            }
            for byte in name.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte | 0x20)
                case UInt8(ascii: "'"), UInt8(ascii: "."): continue
                case UInt8(ascii: "&"), UInt8(ascii: "+"):
                    flush()
                    words.append("and")
                default: flush()
                }
            }
            flush()
            return words
        }
        var word = String.UnicodeScalarView()
        func flush() {
            if !word.isEmpty { words.append(String(word)) }
            word = String.UnicodeScalarView()
        }
        for scalar in TextFolding.fold(name).unicodeScalars {
            if scalar == "&" || scalar == "+" {
                flush()
                words.append("and")
            } else if scalar == "'" || scalar == "’" || scalar == "." {
                continue
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words
    }
}
