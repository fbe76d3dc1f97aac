// Scaffolding for the EmailCheckStage module; replaced by its implementation (not registered as a stage).
