"""The integrator's workbench: saved requests, ``{{variables}}`` and copy as code (see ``workbench``)."""

from whats91_desktop.ui.workbench.workbench import Workbench

__all__ = ["Workbench"]
