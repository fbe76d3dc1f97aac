import Foundation

/// One URL to fetch.
public struct FetchRequest: Sendable {
    /// The absolute http or https URL.
    public var url: String
    /// Redirects to follow before giving up; `nil` uses the configuration's limit, 0 returns the 3xx itself.
    public var maxRedirects: Int?
    /// Largest body kept for this request; `nil` uses the configuration's limit.
    public var maxBodyBytes: Int?

    public init(url: String, maxRedirects: Int? = nil, maxBodyBytes: Int? = nil) {
        self.url = url
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
    }
}
