// Scaffolding for DecayStageTests.
