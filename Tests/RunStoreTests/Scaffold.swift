// Scaffolding for RunStoreTests.
