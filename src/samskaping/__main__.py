"""``python -m samskaping`` runs the command line."""

import sys

from samskaping._cli import main

sys.exit(main())
