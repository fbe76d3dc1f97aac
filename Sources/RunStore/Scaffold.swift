// Scaffolding for the RunStore module; replaced by its implementation (not registered as a stage).
