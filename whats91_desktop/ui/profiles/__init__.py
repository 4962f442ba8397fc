"""Connection profiles in the window: the first-run welcome, the profile editor, the manager."""
