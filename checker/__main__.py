"""``python -m checker`` runs the copydesk command line."""
import sys

from checker.cli import main

sys.exit(main())
