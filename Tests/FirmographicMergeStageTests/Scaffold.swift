// Scaffolding for FirmographicMergeStageTests.
