"""``python -m checker`` runs the copydesk command line."""
from checker.cli import entry

entry()
