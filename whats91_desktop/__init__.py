"""Whats91 Desktop: a native console for the Whats91 WhatsApp messaging API."""

__version__ = "0.1.0"
APP_NAME = "whats91-desktop"
