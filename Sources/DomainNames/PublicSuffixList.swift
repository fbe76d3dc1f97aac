import Foundation

/// The Public Suffix List (https://publicsuffix.org), used to find a host's registrable domain:
/// `shop.acme.co.uk` → `acme.co.uk`.
///
/// The list ships as `Resources/public_suffix_list.dat` (MPL-2.0, header kept in the file).
/// Rules follow the PSL algorithm: the longest matching rule wins, exception rules (`!`) beat
/// wildcards (`*`), and an unlisted TLD counts as a public suffix (the implicit `*` rule).
public final class PublicSuffixList: Sendable {
    private let rules: Set<String>
    private let wildcards: Set<String>
    private let exceptions: Set<String>

    /// The list shipped with LeadHygiene, loaded once.
    public static let shared: PublicSuffixList = {
        guard let url = Bundle.module.url(forResource: "public_suffix_list", withExtension: "dat"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the bundled public_suffix_list.dat is missing from the DomainNames resources")
        }
        return PublicSuffixList(text: text)
    }()

    /// Parses list text in the PSL file format.
    public init(text: String) {
        var rules = Set<String>(), wildcards = Set<String>(), exceptions = Set<String>()
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
                if isException {
                    exceptions.insert(ascii)
                } else if isWildcard {
                    wildcards.insert(ascii)
                } else {
                    rules.insert(ascii)
                }
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// The public suffix of an ASCII, lower-case host (`co.uk` for `shop.acme.co.uk`).
    public func publicSuffix(of host: String) -> String {
        let bytes = Array(host.utf8)
        return String(decoding: bytes[suffixStart(bytes)...], as: UTF8.self)
    }

    /// The registrable domain (public suffix plus one label), or `nil` when the host is itself a public suffix.
    public func registrableDomain(of host: String) -> String? {
        var bytes = Array(host.utf8)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.first != UInt8(ascii: "["), !isIPv4(bytes) else { return nil }
        let start = suffixStart(bytes)
        guard start >= 2 else { return nil }
        // One more label to the left of the public suffix.
        var labelStart = start - 1
        while labelStart > 0 && bytes[labelStart - 1] != UInt8(ascii: ".") { labelStart -= 1 }
        guard labelStart < start - 1 else { return nil }
        return String(decoding: bytes[labelStart...], as: UTF8.self)
    }

    /// Where the public suffix of `bytes` starts. Candidates go from the longest to the shortest:
    /// the first (longest) matching rule wins; an exception rule makes its parent the suffix.
    private func suffixStart(_ bytes: [UInt8]) -> Int {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: ".") { starts.append(i + 1) }
        for (n, start) in starts.enumerated() {
            let candidate = String(decoding: bytes[start...], as: UTF8.self)
            let parentStart = n + 1 < starts.count ? starts[n + 1] : nil
            if exceptions.contains(candidate) { return parentStart ?? start }
            if rules.contains(candidate) { return start }
            if let parentStart, wildcards.contains(String(decoding: bytes[parentStart...], as: UTF8.self)) { return start }
        }
        // The implicit `*` rule: an unlisted top-level domain is a public suffix.
        return starts.last!
    }

    private func isIPv4(_ bytes: [UInt8]) -> Bool {
        var dots = 0
        var digitsInPart = 0
        for b in bytes {
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
