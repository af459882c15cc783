"""Engine stage: case facts, rules compiled to durable_rules data, one engine session per case."""
