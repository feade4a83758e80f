"""The evaluator console (``exercise-engine review DB``)."""
