"""Allow ``python -m exercise_engine``."""

from exercise_engine.cli import main

raise SystemExit(main())
