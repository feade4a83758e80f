"""Authoring tools for facilitators: lint with bot playthroughs, flow graphs, MSEL spreadsheets.

Headless by contract (no Textual): the ``lint``, ``graph`` and ``msel`` commands and the inject
editor (``exercise_engine.ui.author``) all build on these modules, and tests drive them directly.
"""
