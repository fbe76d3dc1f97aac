import DomainNames

/// The disposable, free-mail and accept-all lists in one byte table, so that a domain and all its parents
/// are looked up in one right-to-left pass over its bytes.
///
/// Every address whose domain its chunk has not seen asks all three lists (most B2B domains are seen once);
/// walking each `Set<String>` built a string per parent and hashed it three times over.
package struct DomainListIndex: Sendable {
    /// What the lists say about one domain.
    package struct Found: Equatable {
        /// The nearest listed disposable domain: the domain itself or its longest listed parent.
        package var disposableEntry: String?
        package var isFreeMail = false
        package var isAcceptAll = false

        package init(disposableEntry: String? = nil, isFreeMail: Bool = false, isAcceptAll: Bool = false) {
            self.disposableEntry = disposableEntry
            self.isFreeMail = isFreeMail
            self.isAcceptAll = isAcceptAll
        }
    }

    private static let disposableBit: Int32 = 1
    private static let freeMailBit: Int32 = 2
    private static let acceptAllBit: Int32 = 4

    private let table: ByteStringTable

    package init(disposable: DomainList, freeMail: DomainList, acceptAll: DomainList) {
        var entries: [(key: [UInt8], value: Int32)] = []
        entries.reserveCapacity(disposable.domains.count + freeMail.domains.count + acceptAll.domains.count)
        for (list, bit) in [(disposable, Self.disposableBit), (freeMail, Self.freeMailBit), (acceptAll, Self.acceptAllBit)] {
            for domain in list.domains { entries.append((Array(domain.utf8), bit)) }
        }
        table = ByteStringTable(entries, combine: |)
    }

    /// What the lists say about a lower-case ASCII domain (as ``DomainList/entry(covering:)`` of each list).
    package func lookUp(_ domain: String) -> Found {
        var domain = domain
        return domain.withUTF8 { bytes in
            var found = Found()
            guard let base = bytes.baseAddress, table.count > 0 else { return found }
            let reader = table.reader
            var hasher = ReverseHasher()
            var i = bytes.count
            // Shorter suffixes first: the last disposable one found is the nearest listed parent (or the domain).
            while i > 0 {
                i -= 1
                hasher.prepend(base[i])
                guard i == 0 || base[i - 1] == UInt8(ascii: "."), let bits = reader.value(base, i, bytes.count, hash: hasher.value) else {
                    continue
                }
                if bits & Self.disposableBit != 0 {
                    found.disposableEntry = String(decoding: UnsafeBufferPointer(rebasing: bytes[i...]), as: UTF8.self)
                }
                if bits & Self.freeMailBit != 0 { found.isFreeMail = true }
                if bits & Self.acceptAllBit != 0 { found.isAcceptAll = true }
            }
            return found
        }
    }
}
