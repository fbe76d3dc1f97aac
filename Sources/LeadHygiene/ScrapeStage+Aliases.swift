// The scrape module and its stage type share a name, as do RunStore's; both modules define
// `CachedPage`. These aliases live in files that import only one of them, so the names resolve.
import ScrapeStage
import Web

typealias ScrapedPage = CachedPage
typealias ScrapedHeader = HTTPHeader
