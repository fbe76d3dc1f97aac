/// The legal forms ``CompanyKey`` drops, found by their last word's bytes: keying a million company names
/// hashed a `String` per candidate word, which cost more than the rest of the key.
///
/// Open addressing over FNV-1a hashes of the words; each word leads to its forms, longest first.
struct LegalFormTable: Sendable {
    /// Per slot, 1 + the index of a word in ``words`` (0: empty).
    private let slots: [Int32]
    private let mask: Int
    private let words: [[UInt8]]
    /// Per word, the forms ending with it, each as its words' bytes, longest first.
    let forms: [[[[UInt8]]]]

    init(_ byLastWord: [String: [[[UInt8]]]]) {
        var capacity = 16
        while capacity < 2 * byLastWord.count + 1 { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        var words: [[UInt8]] = []
        var forms: [[[[UInt8]]]] = []
        // Sorted, so that the table is the same from run to run.
        for (word, wordForms) in byLastWord.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(word.utf8)
            var slot = bytes.withUnsafeBufferPointer { Int(truncatingIfNeeded: Self.hash($0)) } & (capacity - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            words.append(bytes)
            forms.append(wordForms)
            slots[slot] = Int32(words.count)
        }
        self.slots = slots
        self.words = words
        self.forms = forms
        mask = capacity - 1
    }

    /// The index in ``forms`` of the forms whose last word is `word`, or `nil`.
    func index(of word: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Int(truncatingIfNeeded: Self.hash(word)) & mask
        while true {
            let entry = Int(slots[slot]) - 1
            if entry < 0 { return nil }
            if words[entry].elementsEqual(word) { return entry }
            slot = (slot + 1) & mask
        }
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }
}
