"""Only what ``pyproject.toml`` cannot say: the build copies the top-level ``resources/``
(the one source of the icon, desktop files and translations) into the package, so that an
installed wheel finds it as ``whats91_desktop/resources`` (see ``whats91_desktop/core/assets.py``).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        # An editable install reads resources/ from the checkout: nothing to copy.
        if not getattr(self, "editable_mode", False):
            self.copy_tree(
                str(ROOT / "resources"), str(Path(self.build_lib) / "whats91_desktop" / "resources")
            )


setup(cmdclass={"build_py": BuildPyWithResources})
