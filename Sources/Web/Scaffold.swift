// Scaffolding for the Web module; replaced by its implementation (not registered as a stage).
