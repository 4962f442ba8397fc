"""Plain-Python services between the UI and the core: no Qt here (import-linter checks it).

Each service gets what it needs through its constructor; ``whats91_desktop.app`` builds them
in dependency order and hands them to the window or the CLI.
"""
