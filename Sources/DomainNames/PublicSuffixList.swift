import Foundation

/// The Public Suffix List (https://publicsuffix.org), used to find a host's registrable domain:
/// `shop.acme.co.uk` → `acme.co.uk`.
///
/// The list ships as `Resources/public_suffix_list.dat` (MPL-2.0, header kept in the file).
/// Rules follow the PSL algorithm: the longest matching rule wins, exception rules (`!`) beat
/// wildcards (`*`), and an unlisted TLD counts as a public suffix (the implicit `*` rule).
public final class PublicSuffixList: Sendable {
    /// Each listed name with what it is listed as: a rule, the base of a wildcard (`*.ck` → `ck`), an exception.
    private let table: ByteStringTable
    private static let rule: Int32 = 1, wildcard: Int32 = 2, exception: Int32 = 4

    /// The list shipped with LeadHygiene, loaded once.
    public static let shared: PublicSuffixList = {
        guard let text = EmbeddedResources.text("public_suffix_list.dat") else {
            fatalError("public_suffix_list.dat is not among the DomainNames embedded resources")
        }
        return PublicSuffixList(text: text)
    }()

    /// Parses list text in the PSL file format.
    public init(text: String) {
        var entries: [(key: [UInt8], value: Int32)] = []
        var text = text
        text.withUTF8 { bytes in
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                // A rule is the line's first word; comments start with `//`.
                let word = line.prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
                guard !word.isEmpty, !word.starts(with: "//".utf8) else { continue }
                var body = word[...]
                let isException = body.first == UInt8(ascii: "!")
                if isException { body = body.dropFirst() }
                let isWildcard = body.starts(with: "*.".utf8)
                if isWildcard { body = body.dropFirst(2) }
                guard let ascii = HostName.asciiForm(String(decoding: body, as: UTF8.self)) else { continue }
                entries.append((Array(ascii.utf8), isException ? Self.exception : isWildcard ? Self.wildcard : Self.rule))
            }
        }
        table = ByteStringTable(entries, combine: |)
    }

    /// The lookup side of the list, for loops over many hosts: plain pointers, valid while the list lives.
    public var matcher: Matcher { Matcher(table: table.reader) }

    /// The public suffix of an ASCII, lower-case host (`co.uk` for `shop.acme.co.uk`).
    package func publicSuffix(of host: String) -> String {
        var host = host
        let matcher = self.matcher
        return host.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[matcher.suffixStart(base, 0, bytes.count)...]), as: UTF8.self)
        }
    }

    /// The registrable domain (public suffix plus one label), or `nil` when the host is itself a public suffix.
    public func registrableDomain(of host: String) -> String? {
        var host = host
        let matcher = self.matcher
        return withExtendedLifetime(self) {
            host.withUTF8 { bytes -> String? in
                guard let base = bytes.baseAddress, let range = matcher.registrableDomain(base, 0, bytes.count) else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
        }
    }

    /// PSL lookups over byte ranges, without building a `String` per candidate suffix.
    public struct Matcher {
        let table: ByteStringTable.Reader

        /// The registrable domain of the host `start..<end` of `base` (ASCII, lower case) as a range
        /// of `base` (a trailing dot left out), or `nil` when the host is itself a public suffix.
        public func registrableDomain(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int>? {
            var end = end
            if end > start && base[end - 1] == UInt8(ascii: ".") { end -= 1 }
            guard end > start, base[start] != UInt8(ascii: "["), !Self.isIPv4(base, start, end) else { return nil }
            let suffix = suffixStart(base, start, end)
            guard suffix - start >= 2 else { return nil }
            // One more label to the left of the public suffix.
            var labelStart = suffix - 1
            while labelStart > start && base[labelStart - 1] != UInt8(ascii: ".") { labelStart -= 1 }
            guard labelStart < suffix - 1 else { return nil }
            return labelStart..<end
        }

        /// Where the public suffix of `start..<end` starts. Candidates go from the longest to the shortest:
        /// the first (longest) matching rule wins; an exception rule makes its parent the suffix.
        package func suffixStart(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
            var labels = 1
            for i in start..<end where base[i] == UInt8(ascii: ".") { labels += 1 }
            return withUnsafeTemporaryAllocation(of: (start: Int, hash: UInt64).self, capacity: labels) { candidates in
                // Right to left, so each candidate's hash extends the shorter one's.
                var hasher = ReverseHasher()
                var n = 0
                var i = end
                while i > start {
                    i -= 1
                    if base[i] == UInt8(ascii: ".") {
                        candidates[n] = (i + 1, hasher.value)
                        n += 1
                    }
                    hasher.prepend(base[i])
                }
                candidates[n] = (start, hasher.value)
                n += 1
                var k = n - 1
                while k >= 0 {
                    let candidate = candidates[k]
                    let flags = table.value(base, candidate.start, end, hash: candidate.hash) ?? 0
                    if flags & PublicSuffixList.exception != 0 { return k > 0 ? candidates[k - 1].start : candidate.start }
                    if flags & PublicSuffixList.rule != 0 { return candidate.start }
                    if k > 0, let parent = table.value(base, candidates[k - 1].start, end, hash: candidates[k - 1].hash),
                       parent & PublicSuffixList.wildcard != 0 {
                        return candidate.start
                    }
                    k -= 1
                }
                // The implicit `*` rule: an unlisted top-level domain is a public suffix.
                return candidates[0].start
            }
        }

        static func isIPv4(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
            var dots = 0
            var digitsInPart = 0
            for i in start..<end {
                let b = base[i]
                if b == UInt8(ascii: ".") {
                    guard digitsInPart > 0 else { return false }
                    dots += 1
                    digitsInPart = 0
                } else if b >= 0x30 && b <= 0x39 {
                    digitsInPart += 1
                } else {
                    return false
                }
            }
            return dots == 3 && digitsInPart > 0
        }
    }
}
