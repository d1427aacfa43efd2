#!/usr/bin/env python3
"""Extract translatable strings and compile them.

Each app keeps its strings in its own `<app>/locale/`; the project-wide templates (`templates/`)
and `publiq_backoffice/` keep theirs in the top-level `locale/`. Translations already in a .po
file are kept by makemessages; new strings arrive with an empty msgstr to be filled in.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "core",
    "events",
    "curation",
    "family",
    "museumpas",
    "surveys",
    "dashboards",
    "uitpas",
    "channels",
)
LANGUAGES = ("nl", "fr", "en")
PYTHON = sys.executable


def makemessages(cwd: Path, *extra: str) -> None:
    (cwd / "locale").mkdir(exist_ok=True)
    languages = [arg for code in LANGUAGES for arg in ("-l", code)]
    subprocess.run(
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "makemessages",
            *languages,
            "--no-location",
            "--settings=scripts.messages_settings",
            *extra,
        ],
        cwd=cwd,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def main() -> None:
    for app in APPS:
        makemessages(ROOT / app)
    ignores = [
        f"--ignore={name}/*" for name in (*APPS, ".venv", "var", "tests", "bench", "scripts")
    ]
    makemessages(ROOT, *ignores)
    subprocess.run(
        [PYTHON, "manage.py", "compilemessages", "--ignore=.venv", "--ignore=var"],
        cwd=ROOT,
        check=True,
    )


if __name__ == "__main__":
    main()
