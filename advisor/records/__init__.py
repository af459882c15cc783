"""Decision records: store each run, replay it against today's rules."""
