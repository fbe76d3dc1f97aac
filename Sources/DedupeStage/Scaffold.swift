// Scaffolding for the DedupeStage module; replaced by its implementation (not registered as a stage).
