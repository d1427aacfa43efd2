import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "var" not in path.parts
)


def test_pages_are_dutch_by_default(client, db):
    response = client.get("/accounts/login/")
    assert '<html lang="nl">' in response.content.decode()
    assert "Aanmelden" in response.content.decode()


def test_the_language_switch_renders_the_page_in_french_then_dutch(client, db):
    client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    french = client.get("/accounts/login/").content.decode()
    assert '<html lang="fr">' in french
    assert "Se connecter" in french

    client.post("/i18n/setlang/", {"language": "nl", "next": "/accounts/login/"})
    assert "Aanmelden" in client.get("/accounts/login/").content.decode()


def test_english_is_available(client, db):
    client.post("/i18n/setlang/", {"language": "en"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_there_are_catalogues_for_every_language():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {"nl", "fr", "en"}


@pytest.mark.parametrize(
    "catalogue", [p for p in CATALOGUES if p.parts[-3] in ("nl", "fr")], ids=str
)
def test_every_string_is_translated_to_dutch_and_french(catalogue):
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=str)
def test_the_committed_mo_file_is_compiled_from_its_po_file(catalogue, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(catalogue)], check=True)
    assert compiled.read_bytes() == catalogue.with_suffix(".mo").read_bytes()
