import Foundation

/// Recognizes links to a company's social profiles and drops share buttons and other non-profile links.
enum SocialProfiles {
    /// The field a URL belongs in and its normalized form (`https://host/path`, no query or trailing slash).
    static func classify(_ link: String) -> (ScrapeField, String)? {
        guard let url = URL(string: link.trimmingCharacters(in: .whitespacesAndNewlines)),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = url.host?.lowercased() else { return nil }
        for prefix in ["www.", "m.", "mobile.", "uk.", "de.", "fr."] where host.hasPrefix(prefix) {
            host.removeFirst(prefix.count)
        }
        let segments = url.path.split(separator: "/").map(String.init)
        guard let first = segments.first?.lowercased() else { return nil }
        func normalized(_ count: Int, host canonicalHost: String) -> String {
            "https://\(canonicalHost)/" + segments.prefix(count).joined(separator: "/")
        }
        switch host {
        case "linkedin.com":
            guard ["company", "showcase", "school"].contains(first), segments.count >= 2 else { return nil }
            return (.linkedin, normalized(2, host: "www.linkedin.com"))
        case "twitter.com", "x.com":
            let reserved: Set = ["intent", "share", "home", "search", "hashtag", "i", "login", "signup", "explore", "settings"]
            guard !reserved.contains(first), first.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            return (.twitter, "https://\(host)/\(segments[0])")
        case "facebook.com", "fb.com":
            let reserved: Set = ["sharer", "sharer.php", "share", "share.php", "dialog", "plugins", "tr", "login", "events", "groups", "hashtag"]
            guard !reserved.contains(first) else { return nil }
            if first == "pages" || first == "people" { return (.facebook, normalized(min(segments.count, 3), host: "www.facebook.com")) }
            return (.facebook, normalized(1, host: "www.facebook.com"))
        case "github.com":
            let reserved: Set = ["features", "about", "login", "join", "pricing", "marketplace", "sponsors", "topics", "orgs"]
            guard !reserved.contains(first) else { return nil }
            return (.github, normalized(1, host: "github.com"))
        case "youtube.com":
            if first.hasPrefix("@") { return (.youtube, normalized(1, host: "www.youtube.com")) }
            guard ["channel", "c", "user"].contains(first), segments.count >= 2 else { return nil }
            return (.youtube, normalized(2, host: "www.youtube.com"))
        case "instagram.com":
            let reserved: Set = ["p", "explore", "reel", "reels", "stories", "accounts", "tv"]
            guard !reserved.contains(first) else { return nil }
            return (.instagram, normalized(1, host: "www.instagram.com"))
        default:
            return nil
        }
    }

    /// Whether a profile URL's handle names the site: `twitter.com/acmeanvils` for `acme-anvils.com`,
    /// `linkedin.com/company/acme` for `acme.co.uk` (the handle contains the domain's first label, or the reverse).
    static func handle(_ url: String, matchesDomain domain: String) -> Bool {
        func letters(_ text: some StringProtocol) -> String { text.lowercased().filter { $0.isLetter || $0.isNumber } }
        let name = letters(domain.split(separator: ".").first ?? "")
        guard name.count >= 3, let handle = url.split(separator: "/").last.map(letters), handle.count >= 3 else { return false }
        return handle.contains(name) || name.contains(handle)
    }
}
