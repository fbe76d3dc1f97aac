// Scaffolding for the DecayStage module; replaced by its implementation (not registered as a stage).
