// Scaffolding for EmailCheckStageTests.
