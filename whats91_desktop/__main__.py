"""``python -m whats91_desktop`` → :func:`whats91_desktop.cli.main`."""

import sys

from whats91_desktop.cli import main

sys.exit(main())
