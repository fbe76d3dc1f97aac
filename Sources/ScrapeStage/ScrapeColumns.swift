/// The columns the scrape stage adds, in output order.
enum ScrapeColumns {
    static let status = "web_status"
    static let httpStatus = "web_http_status"
    static let finalURL = "web_final_url"
    static let redirectDomain = "web_redirect_domain"
    static let fetchedAt = "web_fetched_at"
    static let pages = "web_pages"
    static let email = "web_email"
    static let emails = "web_emails"
    static let phone = "web_phone"
    static let phones = "web_phones"
    static let technologies = "web_technologies"
    static let sources = "web_sources"

    /// The columns that hold what the site says about the company (not how it was fetched): the report's fill rates.
    static let found: [String] = ScrapeField.allCases.map(\.rawValue) + [email, phone, technologies]

    static let all: [String] = [status, httpStatus, finalURL, redirectDomain, fetchedAt, pages]
        + ScrapeField.allCases.map(\.rawValue) + [email, emails, phone, phones, technologies, sources]
}
