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
                withUnsafeTemporaryAllocation(of: Int.self, capacity: maxBytes) { starts -> Bool in
                    // Words back to back with one space between; word w is text[starts[w]..<end(w)].
                    var length = 0, count = 0, inWord = false
                    func endWord() { inWord = false }
                    func begin() {
                        if length > 0 { text[length] = 0x20; length += 1 }
                        starts[count] = length
                        count += 1
                        inWord = true
                    }
                    for byte in name {
                        guard byte < 0x80 else { return false }
                        switch byte {
                        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                            if !inWord { begin() }
                            text[length] = byte | (byte >= UInt8(ascii: "A") ? 0x20 : 0)
                            length += 1
                        case UInt8(ascii: "'"), UInt8(ascii: "."): continue
                        case UInt8(ascii: "&"), UInt8(ascii: "+"):
                            begin()
                            for letter in "and".utf8 { text[length] = letter; length += 1 }
                            endWord()
                        default: endWord()
                        }
                        if length > maxBytes - 8 { return false }
                    }
                    func end(_ w: Int) -> Int { w + 1 < count ? starts[w + 1] - 1 : length }
                    func word(_ w: Int) -> UnsafeMutableBufferPointer<UInt8> { UnsafeMutableBufferPointer(rebasing: text[starts[w]..<end(w)]) }
                    var first = 0, last = count - 1
                    if count - first > 1, word(first).elementsEqual("the".utf8) { first += 1 }
                    while last > first, let group = legalForms.index(of: UnsafeBufferPointer(word(last))) {
                        let forms = legalForms.forms[group]
                        // Longest first; a form as long as what is left would leave nothing, so it is not a suffix here.
                        let left = last - first + 1
                        guard let form = forms.first(where: { form in
                            form.count < left && form.indices.allSatisfy { form[$0].elementsEqual(word(last - form.count + 1 + $0)) }
                        }) else { break }
                        last -= form.count
                    }
                    if count > 0 {
                        body(UnsafeBufferPointer(rebasing: text[starts[first]..<end(last)]))
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
