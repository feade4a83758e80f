"""The craft checks of ``exercise-engine lint``: faults a course director would spot in a scenario.

One module per check family, each a function from the loaded scenario (and, where the check needs
to see play, the bot's runs) to a list of :class:`~exercise_engine.authoring.finding.Finding`:

- :mod:`.state` — flags and variables that go nowhere (check 1) and effects that never bite (6);
- :mod:`.options` — school solutions and label tells (2);
- :mod:`.clockwords` — times of day in the text that contradict the scenario clock (3);
- :mod:`.playability` — response windows, running time against ``duration``, inject floods (4);
- :mod:`.seats` — seats that decide too little, consulted seats that never see the question (5).

All of them are cheap next to the bot's playthroughs: they read the scenario once and each run's
deliveries and points once. docs/authoring.md §1 explains each finding and how to fix it.
"""
