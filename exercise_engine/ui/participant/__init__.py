"""A participant's console: one MLT role's inbox, decisions, advice, shared log and briefing."""
