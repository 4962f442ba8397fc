"""The Preferences dialog, generated from the declared settings table (``core.settings``)."""
