"""The Textual consoles (facilitator, participant, evaluator). Thin clients over the engine API."""
