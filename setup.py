"""Build hook: copy the top-level `decks/` and `plans/` into the wheel.

The content lives at the repository top level so it is easy to browse and edit on any forge,
but a plain `pip install .` (or `pipx install .`) must carry it inside the package. Editable
installs skip this step and read the repository folders directly (see `studycli.config`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent.resolve()


class BuildPyWithContent(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "studycli" / "_content"
        for name, pattern in (("decks", "*.md"), ("plans", "*.yaml")):
            source = ROOT / name
            if not source.is_dir():
                continue
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            for file in sorted(source.rglob(pattern)):
                out = dest / file.relative_to(source)
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, out)


setup(cmdclass={"build_py": BuildPyWithContent})
