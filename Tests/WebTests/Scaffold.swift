// Scaffolding for WebTests.
