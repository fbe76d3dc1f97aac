// Scaffolding for ScrapeStageTests.
