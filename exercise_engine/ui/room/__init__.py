"""The room's console: a projector view of a running exercise (``exercise-engine room DB``)."""
