"""What the consoles show, computed from the scenario and a state snapshot: pure, no Textual.

Every screen is a thin layer over these functions, so the rules that matter (which inject state
an MSEL row shows, who owes what, what one role may read) are tested table-driven without a
terminal. The inbox and shared-log modules are where privacy is decided: a role's inbox is built
only from ``scenario.copy_for(inject, role)`` and manual injects addressed to it, and the shared
log never carries inject text.
"""
