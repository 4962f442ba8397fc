"""Small file-system helpers shared by settings, secrets and the message log.

Why a module of its own: "nothing lost" needs the same moves everywhere — write a file so
that a crash leaves either the old or the new content (never half of each), read a file so
that whatever is wrong with it is one exception (never a crash), and move a file we cannot
read aside instead of overwriting it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(
    path: Path, *, mode: int = PRIVATE_FILE_MODE, newline: str | None = None
) -> Iterator[IO[str]]:
    """Yield a file in ``path``'s directory; on a clean exit it is fsynced and renamed over ``path``.

    On an exception the temporary file is removed and ``path`` is untouched. The temporary
    file is created 0600 by ``mkstemp`` (whatever the umask) and gets ``mode`` before the
    rename, so there is no moment when a private file is readable by others.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            if sys.platform != "win32":
                os.fchmod(handle.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, *, mode: int = PRIVATE_FILE_MODE) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    with atomic_writer(path, mode=mode) as handle:
        handle.write(text)


def backup_path_for(path: Path, *, now: float | None = None) -> Path:
    """``<name>.corrupt-YYYYmmdd-HHMMSS`` beside ``path``; ``-1``, ``-2``… if that is taken."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    return candidate


def move_aside(path: Path, *, mode: int | None = PRIVATE_FILE_MODE) -> Path:
    """Rename an unreadable file to its ``.corrupt-…`` name and return the new path.

    The backup keeps (or is tightened to) ``mode``: a broken secrets file still holds tokens.
    """
    target = backup_path_for(path)
    os.replace(path, target)
    if mode is not None and sys.platform != "win32":
        with contextlib.suppress(OSError):
            os.chmod(target, mode)
    fsync_dir(path.parent)
    return target


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) and make it 0700 where the platform allows."""
    directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if sys.platform != "win32":
        with contextlib.suppress(OSError):
            if directory.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
                os.chmod(directory, PRIVATE_DIR_MODE)


class UnreadableFile(Exception):
    """A file exists but cannot be used; ``str()`` says why, in words for a notice."""


def read_json_file(path: Path, *, max_bytes: int) -> Any:
    """The JSON value in ``path``. ``FileNotFoundError`` when there is none; :class:`UnreadableFile`
    for every other reason it cannot be used — unreadable, too large, not UTF-8, not JSON,
    nested deeper than the parser goes, a number too long to read — so that a caller can move
    it aside instead of failing on it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise
    except OSError as err:
        raise UnreadableFile(f"it could not be read ({err.strerror or type(err).__name__})") from None
    except MemoryError:
        raise UnreadableFile("it is too large to read") from None
    if len(data) > max_bytes:
        raise UnreadableFile(f"it is larger than {max_bytes // (1024 * 1024) or 1} MB") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableFile(f"it is not UTF-8 text ({err.reason} at byte {err.start})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise UnreadableFile("it is not valid JSON (nested too deeply)") from None
    except MemoryError:
        raise UnreadableFile("it is too large to read") from None
    except ValueError as err:  # JSONDecodeError, and a number longer than Python reads
        raise UnreadableFile(f"it is not valid JSON ({err})") from None
