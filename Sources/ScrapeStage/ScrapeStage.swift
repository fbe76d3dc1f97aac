// scrape stage (in progress)
