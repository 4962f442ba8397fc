"""Keyring backends for tests: nothing here ever reaches the real keychain.

Their ``priority`` raises, so keyring never considers them *viable*: importing this
module cannot change which backend ``keyring.get_keyring()`` picks elsewhere.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringError, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A dict-backed keychain; ``passwords`` maps (service, username) to the secret."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test backend: pass it explicitly")

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def __str__(self) -> str:
        return "MemoryKeyring"

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not found") from None


class BrokenKeyring(MemoryKeyring):
    """A keychain that looks usable but fails at run time (a locked Secret Service, say)."""

    def __str__(self) -> str:
        return "BrokenKeyring"

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("the keychain is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keychain is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("the keychain is locked")
