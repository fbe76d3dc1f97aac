// Scaffolding for the FirmographicMergeStage module; replaced by its implementation (not registered as a stage).
