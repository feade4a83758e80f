"""After-action: scoring decisions against the considerations, evaluator ratings and reports.

Headless by contract: builds on the engine core, never on Textual or the consoles. The
considerations catalogue ships here as TOML data (``after_action/considerations/``).
"""
