"""``python -m checker`` runs the copydesk command line."""
from checker.cli import entry

# Guarded: worker processes started with "spawn" import this module again (as __mp_main__).
if __name__ == "__main__":
    entry()
