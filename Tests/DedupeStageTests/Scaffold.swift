// Scaffolding for DedupeStageTests.
