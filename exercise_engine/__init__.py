"""exercise-engine: a tabletop crisis-management exercise engine for UN peace-operation leadership.

The package is layered: the headless core (``model``, ``loading``, ``conditions``, ``clock``,
``machines``, ``engine``, ``journal``, ``runtime``) imports neither Textual nor ``after_action``;
the consoles (``ui``) and the command line (``cli``) sit on top. Keep this module import-light:
``exercise-engine --help`` must start fast.
"""

__version__ = "0.1.0"
