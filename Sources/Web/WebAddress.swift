import Foundation

/// Why a URL is not fetched at all.
public enum URLRefusal: String, Sendable {
    /// Not `http` or `https`.
    case forbiddenScheme = "forbidden_scheme"
    /// The URL carries a user name or password.
    case credentialsInURL = "credentials_in_url"
    /// The text is not a URL with a host.
    case invalidURL = "invalid_url"
}

/// The URL rules every fetch obeys: http and https only, a host, and no credentials.
public enum WebAddress {
    /// Validates an absolute URL, returning it in normalized form or the reason it is refused.
    public static func validate(_ text: String) -> Result<URL, URLRefusalError> {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            return .failure(URLRefusalError(.invalidURL, text))
        }
        guard scheme == "http" || scheme == "https" else { return .failure(URLRefusalError(.forbiddenScheme, text)) }
        guard let host = url.host, !host.isEmpty else { return .failure(URLRefusalError(.invalidURL, text)) }
        // A credential in a lead list's URL would be sent to whatever host it names; never send it.
        guard url.user == nil, url.password == nil, !(url.absoluteString.split(separator: "/").dropFirst(1).first?.contains("@") ?? false)
        else { return .failure(URLRefusalError(.credentialsInURL, text)) }
        return .success(url)
    }

    /// Resolves a `Location` header or link against the URL it appeared on.
    public static func resolve(_ reference: String, against base: URL) -> URL? {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let escaped = trimmed.addingPercentEncoding(withAllowedCharacters: urlAllowed) ?? trimmed
        return URL(string: escaped, relativeTo: base)?.absoluteURL
    }

    /// The host, lower-cased, used to key per-host limits and robots.txt.
    public static func hostKey(_ url: URL) -> String {
        (url.host ?? "").lowercased()
    }

    /// `scheme://host[:port]`, the unit robots.txt applies to (RFC 9309 §2.3).
    public static func origin(_ url: URL) -> String {
        let scheme = (url.scheme ?? "http").lowercased()
        var origin = "\(scheme)://\(hostKey(url))"
        if let port = url.port, !(scheme == "http" && port == 80 || scheme == "https" && port == 443) {
            origin += ":\(port)"
        }
        return origin
    }

    // Characters that may appear unescaped in a URL reference (RFC 3986), plus '%' for existing escapes.
    private static let urlAllowed = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
}

/// A URL that ``WebAddress/validate(_:)`` refused.
public struct URLRefusalError: Error, Sendable {
    public var refusal: URLRefusal
    public var url: String
    public init(_ refusal: URLRefusal, _ url: String) {
        self.refusal = refusal
        self.url = url
    }
}
