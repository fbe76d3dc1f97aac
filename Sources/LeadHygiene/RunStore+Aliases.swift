// See ScrapeStage+Aliases.swift: RunStore's `CachedPage`, named apart from scrape's.
import RunStore

typealias StoredPage = CachedPage
