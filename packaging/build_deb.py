"""Build ``dist/whats91-desktop_<version>_<arch>.deb`` from the PyInstaller bundle, with dpkg-deb.

``python packaging/build_deb.py [--bundle dist/whats91-desktop] [--out dist]``, run by
``scripts/package`` after PyInstaller. The layout:

- ``/opt/whats91-desktop/``: the one-folder bundle as built (it finds its libraries beside it);
- ``/usr/bin/whats91-desktop``: a symlink to its executable (the bundle resolves the link);
- ``/usr/share/applications``, ``/usr/share/icons/hicolor`` (every PNG size and the SVG),
  ``/usr/share/metainfo``: copied from ``resources/``, the same files the app itself uses;
- ``/usr/share/doc``, ``/usr/share/man/man1``, ``/usr/share/lintian/overrides``: what Debian's
  policy asks of a package; the overrides say why each remaining lintian tag stays.

``Depends`` is computed, not guessed: every system library the bundle's ELF files load (``ldd``)
that the bundle does not carry itself, mapped to its package with ``dpkg -S``.
Standard library only: it runs with any Python 3.11.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "whats91-desktop"
APP_ID = "io.whats91.Desktop"
MAINTAINER = "Whats91 Desktop maintainers <maintainers@whats91.invalid>"
ALWAYS_DEPENDS = ("libc6", "fonts-dejavu-core", "sensible-utils")
"""libc6 (ldd does not always map it to a package on merged-/usr systems), a font (Qt draws
nothing legible without one), and sensible-utils (the bundled libmount names sensible-pager)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / PACKAGE)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    if not (args.bundle / PACKAGE).is_file():
        parser.error(f"no bundle at {args.bundle}: run PyInstaller first (scripts/package)")
    version = read_version()
    arch = run(["dpkg", "--print-architecture"]).strip()
    stage = args.out / "deb" / f"{PACKAGE}_{version}_{arch}"
    if stage.exists():
        shutil.rmtree(stage)
    lay_out(stage, args.bundle, version)
    drop_build_rpaths(stage / "opt" / PACKAGE)
    write_control(stage, version, arch, depends(args.bundle))
    normalise_modes(stage)
    deb = args.out / f"{PACKAGE}_{version}_{arch}.deb"
    run(["dpkg-deb", "--root-owner-group", "--build", str(stage), str(deb)])
    print(deb)
    return 0


def read_version() -> str:
    text = (ROOT / "whats91_desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise SystemExit("no __version__ in whats91_desktop/__init__.py")
    return found.group(1)


def lay_out(stage: Path, bundle: Path, version: str) -> None:
    resources = ROOT / "resources"
    share = stage / "usr" / "share"
    shutil.copytree(bundle, stage / "opt" / PACKAGE, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / PACKAGE).symlink_to(f"/opt/{PACKAGE}/{PACKAGE}")
    copy(resources / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    copy(resources / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    shutil.copytree(resources / "icons" / "hicolor", share / "icons" / "hicolor")
    doc = share / "doc" / PACKAGE
    copy(ROOT / "packaging" / "debian" / "copyright", doc / "copyright")
    gzip_to(changelog(version), doc / "changelog.gz")
    gzip_to(
        (ROOT / "packaging" / "debian" / f"{PACKAGE}.1").read_bytes(),
        share / "man" / "man1" / f"{PACKAGE}.1.gz",
    )
    copy(ROOT / "packaging" / "debian" / "lintian-overrides", share / "lintian" / "overrides" / PACKAGE)


def changelog(version: str) -> bytes:
    """A native package's changelog, dated by the last commit (reproducible), else now."""
    date = run(["git", "-C", str(ROOT), "log", "-1", "--format=%aD"], check=False).strip()
    if not date:
        date = run(["date", "-R"]).strip()
    return (
        f"{PACKAGE} ({version}) unstable; urgency=medium\n\n"
        "  * Built from the Whats91 Desktop sources; see README.md for the changes.\n\n"
        f" -- {MAINTAINER}  {date}\n"
    ).encode()


def depends(bundle: Path) -> list[str]:
    """The packages of the system libraries the bundle's ELF files load but do not carry."""
    carried = {p.name for p in bundle.rglob("*") if p.is_file()}
    libraries: set[str] = set()
    for elf in elf_files(bundle):
        for line in run(["ldd", str(elf)], check=False).splitlines():
            found = re.match(r"\s*(\S+) => (/\S+)", line)
            if found and found.group(1) not in carried:
                libraries.add(found.group(2))
    packages = set(ALWAYS_DEPENDS)
    for library in sorted(libraries):
        owner = package_of(library)
        if owner:
            packages.add(owner)
    return sorted(packages)


def package_of(path: str) -> str | None:
    """The package that installed ``path`` (tried as given and as resolved: merged /usr)."""
    for candidate in dict.fromkeys((path, os.path.realpath(path), path.replace("/usr/lib/", "/lib/", 1))):
        out = run(["dpkg", "-S", candidate], check=False)
        if out:
            return out.split(":", 1)[0].split(",")[0].strip()
    return None


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def write_control(stage: Path, version: str, arch: str, depends: list[str]) -> None:
    size_kib = sum(p.stat().st_size for p in stage.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir(parents=True)
    control.write_text(
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {size_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: net\n"
        "Priority: optional\n"
        "Homepage: https://whats91.invalid/desktop\n"
        "Description: desktop console for the Whats91 WhatsApp messaging API\n"
        " Whats91 Desktop sends WhatsApp messages through the Whats91 API, follows\n"
        " each one to its final status, reads conversations and manages webhooks.\n"
        " It never sends a message twice on its own, validates input next to each\n"
        " field, keeps tokens in the system keychain, and comes with a built-in\n"
        " sandbox that answers like the real API. The same program is a command\n"
        " line tool for scripts.\n",
        encoding="utf-8",
    )


def drop_build_rpaths(bundle: Path) -> None:
    """Remove search paths that point into the build machine (a pyenv's ``lib``, say) from the
    bundle's libraries, keeping the ``$ORIGIN`` ones the bundle needs. Needs ``patchelf``."""
    if shutil.which("patchelf") is None:
        print("warning: patchelf not found (apt-get install patchelf): build paths stay in RUNPATH")
        return
    for elf in elf_files(bundle):
        current = run(["patchelf", "--print-rpath", str(elf)], check=False).strip()
        if not current:
            continue
        kept = [entry for entry in current.split(":") if entry.startswith("$ORIGIN")]
        if kept != current.split(":"):
            command = ["--set-rpath", ":".join(kept)] if kept else ["--remove-rpath"]
            run(["patchelf", *command, str(elf)])


def normalise_modes(stage: Path) -> None:
    """0755 for directories and the one program, 0644 for the rest, libraries included (what
    lintian expects: a shared library is not executable)."""
    program = stage / "opt" / PACKAGE / PACKAGE
    for path in [stage, *stage.rglob("*")]:
        if path.is_symlink():
            continue
        path.chmod(0o755 if path.is_dir() or path == program else 0o644)


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def gzip_to(data: bytes, target: Path) -> None:
    """``gzip -9n``: no name or time in the header, so the file is the same on every build."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        target.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as gz,
    ):
        gz.write(data)


def run(command: list[str], *, check: bool = True) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return done.stdout if done.returncode == 0 else ""


if __name__ == "__main__":
    sys.exit(main())
