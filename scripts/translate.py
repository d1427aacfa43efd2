#!/usr/bin/env python3
"""Fill and compile the gettext catalogues.

    python scripts/translate.py missing            untranslated Dutch and French strings, as JSON
    python scripts/translate.py apply FILE.json    fill them from {"nl": {msgid: text}, "fr": {...}}
                                                   (a list of forms for plurals), then compile

English needs no filling: the source strings are English. Run `make messages` first so that the
catalogues hold every string of the code.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = ("nl", "fr")
TEAMS = {"nl": "Dutch", "fr": "French", "en": "English"}


def catalogues():
    for path in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po")):
        if not {".venv", "var"} & set(path.parts):
            yield path.parts[-3], path


def fix_header(po: polib.POFile, language: str) -> None:
    # makemessages writes a fuzzy header; msgfmt ignores a fuzzy header, and with it the charset.
    po.metadata_is_fuzzy = False
    po.metadata.update(
        {
            "Project-Id-Version": "publiq-backoffice",
            "Language": language,
            "Language-Team": TEAMS[language],
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=2; plural=(n > 1);"
            if language == "fr"
            else "nplurals=2; plural=(n != 1);",
        }
    )


def missing() -> dict:
    result = {language: {} for language in TRANSLATED}
    for language, path in catalogues():
        if language not in TRANSLATED:
            continue
        for entry in polib.pofile(str(path)):
            if not entry.translated() or "fuzzy" in entry.flags:
                result[language][entry.msgid] = ["", ""] if entry.msgid_plural else ""
    return result


def apply(translations: dict) -> int:
    left = 0
    for language, path in catalogues():
        po = polib.pofile(str(path), wrapwidth=100)
        fix_header(po, language)
        table = translations.get(language, {})
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.msgstr_plural = {}
                entry.previous_msgid = None
            text = table.get(entry.msgid)
            if text:
                if entry.msgid_plural:
                    entry.msgstr_plural = dict(enumerate(text))
                else:
                    entry.msgstr = text
            if language in TRANSLATED and not entry.translated():
                left += 1
                print(f"untranslated ({language}) in {path.relative_to(ROOT)}: {entry.msgid!r}")
        po.save()
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "--ignore=.venv", "--ignore=var"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return left


def main() -> int:
    if sys.argv[1:2] == ["missing"]:
        print(json.dumps(missing(), ensure_ascii=False, indent=1))
        return 0
    if sys.argv[1:2] == ["apply"] and len(sys.argv) == 3:
        left = apply(json.loads(Path(sys.argv[2]).read_text()))
        print(f"{left} strings still untranslated")
        return 1 if left else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
