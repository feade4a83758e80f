"""The inject editor (``exercise-engine author``): a thin Textual client over
:class:`exercise_engine.authoring.workspace.Workspace`."""
