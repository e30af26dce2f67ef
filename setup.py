"""Build hook: copy the top-level `decks/` and `plans/` into the wheel, and parse the decks.

The content lives at the repository top level so it is easy to browse and edit on any forge,
but a plain `pip install .` (or `pipx install .`) must carry it inside the package. Editable
installs skip this step and read the repository folders directly (see `studycli.config`).

The copied decks are also parsed here, into `_content/decks.parsed` (`deckcache.build_shipped`),
so the first run after an install reads them instead of parsing them. If that fails (say, the
parser's dependencies are missing from the build environment) the wheel is still built without
it and the first run parses the decks, as an editable install always does.
"""

from __future__ import annotations

import shutil
import sys
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
        decks = target / "decks"
        if decks.is_dir():
            self._parse_decks(decks)

    @staticmethod
    def _parse_decks(decks: Path) -> None:
        sys.path.insert(0, str(ROOT / "src"))
        try:
            from studycli.deckcache import SHIPPED_SUFFIX, build_shipped

            count = build_shipped(decks, decks.with_name(decks.name + SHIPPED_SUFFIX))
            print(f"studycli: parsed {count} bundled decks into the package")
        except Exception as exc:  # the tool works without it: the first run parses the decks
            print(
                f"studycli: bundled decks left unparsed ({exc!r}); the first run parses them", file=sys.stderr
            )
        finally:
            sys.path.remove(str(ROOT / "src"))


setup(cmdclass={"build_py": BuildPyWithContent})
