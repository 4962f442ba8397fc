"""Connection profiles in the window: the first-run welcome, the profile editor, the manager."""

from whats91_desktop.ui.profiles.actions import delete_profile, save_profile
from whats91_desktop.ui.profiles.manager import ProfilesDialog, open_profile_dialog
from whats91_desktop.ui.profiles.profile_dialog import ProfileDialog
from whats91_desktop.ui.profiles.token_test import describe_token_check
from whats91_desktop.ui.profiles.welcome import WelcomeDialog

__all__ = [
    "ProfileDialog",
    "ProfilesDialog",
    "WelcomeDialog",
    "delete_profile",
    "describe_token_check",
    "open_profile_dialog",
    "save_profile",
]
