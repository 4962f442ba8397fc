"""API tokens: in the OS keychain, or a private file where there is no usable keychain.

On a headless Linux box keyring resolves to its ``fail`` or ``null`` backend (or a chainer
with nothing to chain). Then tokens go to ``<data_dir>/secrets.json``, created 0600 and
written atomically, and :attr:`SecretStore.warning` says so — the UI and CLI show it.

Tokens never appear in exceptions, ``repr`` or log messages raised from here.

keyring is imported by :class:`SecretStore` itself, not by this module: loading it (with its
backends' entry points) takes ~0.1 s, which the window pays on a worker thread once it is
shown, and the CLI's ``token_from_env`` not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.fsutil import (
    PRIVATE_FILE_MODE,
    UnreadableFile,
    atomic_write_text,
    move_aside,
    read_json_file,
)

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

TOKEN_ENV = "WHATS91_TOKEN"
WebhookSecretKind = Literal["signing", "verification"]
"""A webhook's signing secret (from create) or the verification token sent in its header."""
FALLBACK_FILE_NAME = "secrets.json"
SECRETS_MAX_BYTES = 1024 * 1024
"""Tokens take a few hundred bytes each: a larger file is not one we wrote."""
_FILE_VERSION = 1


def token_from_env() -> str | None:
    """``WHATS91_TOKEN`` if set and not blank (the CLI's override of the stored token)."""
    value = os.environ.get(TOKEN_ENV, "").strip()
    return value or None


def is_usable_backend(backend: KeyringBackend) -> bool:
    """False for keyring's stand-ins that cannot store anything."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return len(chainer.ChainerBackend.backends) > 0
    return True


class SecretStore:
    """Tokens by profile name.

    ``keyring_backend`` is for tests (an in-memory or a fail backend); by default the
    system's keyring is used if it is usable. If the keychain fails at run time (a locked
    or vanished Secret Service, say) the store switches to the fallback file for the rest
    of the session, and ``warning`` is set.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        keyring_backend: KeyringBackend | None = None,
        service: str = "whats91-desktop",
    ) -> None:
        self.data_dir = Path(data_dir)
        self.file_path = self.data_dir / FALLBACK_FILE_NAME
        self.service = service
        backend = keyring_backend
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        self._backend: KeyringBackend | None = backend if is_usable_backend(backend) else None
        self._backend_label = f"{type(backend).__module__}.{type(backend).__name__}"
        self._seen: set[str] = set()
        self.notice: str | None = None

    def __repr__(self) -> str:
        return f"SecretStore(backend={self.backend_name!r}, fallback={self.using_fallback})"

    # ------------------------------------------------------------------ state

    @property
    def using_fallback(self) -> bool:
        return self._backend is None

    @property
    def backend_name(self) -> str:
        if self._backend is None:
            return f"file ({self.file_path})"
        return self._backend_label

    @property
    def warning(self) -> str | None:
        if self._backend is None:
            return (
                f"No system keychain is available; tokens are stored in {self.file_path} "
                "(readable only by you)."
            )
        return None

    def known_tokens(self) -> frozenset[str]:
        """Tokens read or written this session (for ``SettingsStore(known_secrets=…)``)."""
        return frozenset(self._seen)

    # ------------------------------------------------------------------ API

    def get(self, profile: str) -> str | None:
        token: str | None = None
        if self._backend is not None:
            from keyring.errors import KeyringError

            try:
                token = self._backend.get_password(self.service, profile)
            except KeyringError:
                self._switch_to_fallback()
        if token is None:
            token = self._read_file().get(profile)
        if token:
            self._seen.add(token)
        return token or None

    def set(self, profile: str, token: str) -> None:
        token = token.strip() if isinstance(token, str) else ""
        if not token:
            raise ConfigError("an empty token cannot be stored")
        if not profile:
            raise ConfigError("a token needs a profile name")
        self._seen.add(token)
        if self._backend is not None:
            from keyring.errors import KeyringError

            try:
                self._backend.set_password(self.service, profile, token)
            except KeyringError:
                self._switch_to_fallback()
            else:
                self._remove_from_file(profile)
                return
        tokens = self._read_file()
        tokens[profile] = token
        self._write_file(tokens)

    def delete(self, profile: str) -> None:
        """Forget the profile's token wherever it is (no error if there was none)."""
        if self._backend is not None:
            from keyring.errors import KeyringError, PasswordDeleteError

            try:
                self._backend.delete_password(self.service, profile)
            except PasswordDeleteError:
                pass
            except KeyringError:
                self._switch_to_fallback()
        self._remove_from_file(profile)

    def rename(self, old: str, new: str) -> None:
        """Move a token to a renamed profile (no-op when ``old`` has none)."""
        if old == new:
            return
        token = self.get(old)
        if token is None:
            return
        self.set(new, token)
        self.delete(old)

    # ------------------------------------------------------------------ webhook secrets
    # A webhook's signing secret and verification token live beside the profiles' tokens, in
    # the keychain or the same 0600 file, under a name no profile can have (a profile name
    # never starts with a space), and count as known secrets like the tokens do.

    @staticmethod
    def _webhook_entry(webhook_uid: str, kind: WebhookSecretKind) -> str:
        if not webhook_uid.strip():
            raise ConfigError("a webhook secret needs the webhook's uid")
        return f" webhook-{kind}/{webhook_uid.strip()}"

    def webhook_secret(self, webhook_uid: str, kind: WebhookSecretKind = "signing") -> str | None:
        """The stored signing secret (or verification token) of a webhook, None if there is none."""
        return self.get(self._webhook_entry(webhook_uid, kind))

    def set_webhook_secret(self, webhook_uid: str, secret: str, kind: WebhookSecretKind = "signing") -> None:
        self.set(self._webhook_entry(webhook_uid, kind), secret)

    def delete_webhook_secret(self, webhook_uid: str, kind: WebhookSecretKind = "signing") -> None:
        self.delete(self._webhook_entry(webhook_uid, kind))

    def note_secret(self, secret: str) -> None:
        """Count a secret kept elsewhere (in memory) as known, so logs and settings refuse it too."""
        if secret:
            self._seen.add(secret)

    # ------------------------------------------------------------------ the fallback file

    def _switch_to_fallback(self) -> None:
        self._backend = None

    def _read_file(self) -> dict[str, str]:
        path = self.file_path
        try:
            if sys.platform != "win32":
                mode = stat.S_IMODE(path.stat().st_mode)
                if mode & 0o077:
                    os.chmod(path, PRIVATE_FILE_MODE)
                    self.notice = f"{path} was readable by others; it is now readable only by you."
            data = read_json_file(path, max_bytes=SECRETS_MAX_BYTES)
        except FileNotFoundError:
            return {}
        except OSError as err:  # the chmod above
            return self._corrupt(f"it could not be read ({type(err).__name__})")
        except UnreadableFile as err:
            return self._corrupt(str(err))
        tokens = data.get("tokens") if isinstance(data, dict) else None
        if (
            not isinstance(tokens, dict)
            or data.get("version") != _FILE_VERSION
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in tokens.items())
        ):
            return self._corrupt("its contents have the wrong shape")
        return dict(tokens)

    def _corrupt(self, reason: str) -> dict[str, str]:
        try:
            backup = move_aside(self.file_path)
        except OSError as err:
            raise ConfigError(
                f"the token file {self.file_path} is unusable ({reason}) and could not be moved aside "
                f"({err.strerror or type(err).__name__})"
            ) from None
        self.notice = (
            f"The token file could not be used ({reason}); it was moved to {backup}. "
            "Enter your API tokens again."
        )
        return {}

    def _write_file(self, tokens: dict[str, str]) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps({"version": _FILE_VERSION, "tokens": tokens}, indent=2, sort_keys=True) + "\n"
        atomic_write_text(self.file_path, text, mode=PRIVATE_FILE_MODE)

    def _remove_from_file(self, profile: str) -> None:
        if not self.file_path.exists():
            return
        tokens = self._read_file()
        if profile in tokens:
            del tokens[profile]
            if tokens:
                self._write_file(tokens)
            else:
                with contextlib.suppress(FileNotFoundError):
                    self.file_path.unlink()
