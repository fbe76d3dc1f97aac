// Scaffolding for the ScrapeStage module; replaced by its implementation (not registered as a stage).
