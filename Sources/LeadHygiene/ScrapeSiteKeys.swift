import DomainNames
import Foundation

/// The site scrape visits a row under, for a distributed run that sends every row of one site to one task
/// (`leadhygiene envelope sites`, scripts/leadhygiene_spark.py).
///
/// scrape visits each site once per run, fetches robots.txt once per origin and keeps its politeness per host; a
/// task that holds every row of a registrable domain does all of that as a one-machine run does. The key is the
/// registrable domain without the port: a port only splits a domain into more sites, which then share a task.
///
/// ```swift
/// let keys = ScrapeSiteKeys(websiteColumn: "Website", domainColumn: nil)
/// keys.site(of: ["Website": "https://www.acme.co.uk/about"])   // "acme.co.uk"
/// ```
public struct ScrapeSiteKeys: Sendable {
    /// Where scrape reads a row's website, in the order it tries them (`ScrapeStage.bind`): normalize's columns
    /// when it ran before, then the columns mapped to the `website` and `domain` fields.
    let columns: [String]

    public init(websiteColumn: String?, domainColumn: String?) {
        columns = ["norm_website", websiteColumn, "norm_domain", domainColumn].compactMap { $0 }
    }

    /// The registrable domain of the first non-empty website value (the host itself when it is a public suffix),
    /// or `nil` when the row has none that names a host: scrape visits no site for it.
    public func site(of row: [String: Any]) -> String? {
        guard let value = columns.lazy.compactMap({ (row[$0] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) })
            .first(where: { !$0.isEmpty }),
            let host = HostName.fromWebsite(value)
        else { return nil }
        return PublicSuffixList.shared.registrableDomain(of: host) ?? host
    }
}
