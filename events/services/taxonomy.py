"""The UiTdatabank term taxonomy: the official terms.json plus the legacy labels of terms_flat.csv.

`taxonomy_rows` reads and checks the files (no database); `taxonomy_apply` writes them into any
Term model (the data migration passes its historical one); `terms_load` is the service the
command calls, with its audit row.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson
from django.db import transaction

from core.services import audit_record
from events.selectors import forget_terms

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TERMS_FILE = DATA_DIR / "terms.json"
LEGACY_FILE = DATA_DIR / "terms_flat.csv"
_LANGUAGES = ("nl", "fr", "de", "en")
_CSV_COLUMNS = {"id", "domain", "scope", "label_nl", "in_taxonomy_api", "legacy_labels_nl"}


class TaxonomyError(ValueError):
    pass


@dataclass
class TermsLoaded:
    created: int
    updated: int
    retired: int

    def line(self) -> str:
        return f"created {self.created}, updated {self.updated}, no longer official {self.retired}"


def taxonomy_rows(terms_path: Path = TERMS_FILE, legacy_path: Path = LEGACY_FILE) -> list[dict]:
    """Term rows: every term of terms.json (official), then the legacy-only terms of the CSV."""
    official = _official_terms(terms_path)
    legacy = _legacy_terms(legacy_path)
    rows = []
    for term in official:
        extra = legacy.pop(term["id"], {})  # what is left of `legacy` is legacy-only
        rows.append(
            {
                **term,
                "in_taxonomy": True,
                "legacy_labels_nl": extra.get("legacy_labels_nl", []),
                "group_nl": extra.get("group_nl", ""),
            }
        )
    return [*rows, *({**row, "in_taxonomy": False} for row in legacy.values())]


def taxonomy_apply(term_model, rows: list[dict]) -> TermsLoaded:
    existing = {term.id: term for term in term_model.objects.all()}
    was_official = {term.id for term in existing.values() if term.in_taxonomy}
    listed = {row["id"] for row in rows}
    created, updated = [], []
    for row in rows:
        term = existing.get(row["id"])
        if term is None:
            created.append(term_model(**row, unknown=False))
            continue
        for name, value in row.items():
            setattr(term, name, value)
        term.unknown = False
        updated.append(term)
    unlisted = [term for term in existing.values() if term.id not in listed and term.in_taxonomy]
    for term in unlisted:
        term.in_taxonomy = False
    changed = [*updated, *unlisted]
    term_model.objects.bulk_create(created)
    fields = [field.name for field in term_model._meta.concrete_fields if not field.primary_key]
    term_model.objects.bulk_update(changed, fields, batch_size=500)
    retired = sum(term.id in was_official and not term.in_taxonomy for term in changed)
    return TermsLoaded(len(created), len(updated), retired)


def terms_load(
    *, terms_path: Path = TERMS_FILE, legacy_path: Path = LEGACY_FILE, actor=None
) -> TermsLoaded:
    from events.models import Term

    rows = taxonomy_rows(terms_path, legacy_path)
    with transaction.atomic():
        loaded = taxonomy_apply(Term, rows)
        audit_record(
            actor=actor,
            action="terms.loaded",
            object_type="events.term",
            new_values={"file": str(terms_path), **asdict(loaded)},
        )
    transaction.on_commit(forget_terms)
    return loaded


def _official_terms(path: Path) -> list[dict]:
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as error:
        raise TaxonomyError(f"{path}: {error.strerror or error}") from None
    except orjson.JSONDecodeError as error:
        raise TaxonomyError(f"{path}: malformed JSON at line {error.lineno}: {error.msg}") from None
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, list):
        raise TaxonomyError(f'{path}: not a taxonomy: expected {{"terms": [...]}}')
    rows, seen = [], set()
    for index, term in enumerate(terms):
        where = f"{path}: terms[{index}]"
        if not isinstance(term, dict) or not isinstance(term.get("id"), str) or not term["id"]:
            raise TaxonomyError(f"{where} has no id")
        if not isinstance(term.get("domain"), str) or not term["domain"]:
            raise TaxonomyError(f"{where} ({term['id']}) has no domain")
        names = term.get("name") or {}
        if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
            raise TaxonomyError(f"{where} ({term['id']}): name is not a language map")
        if term["id"] in seen:
            raise TaxonomyError(f"{where}: id {term['id']} appears twice")
        seen.add(term["id"])
        scope = term.get("scope") or []
        rows.append(
            {
                "id": term["id"],
                "domain": term["domain"],
                "scope": scope if isinstance(scope, list) else [],
                **{f"label_{code}": names.get(code, "")[:200] for code in _LANGUAGES},
            }
        )
    return rows


def _legacy_terms(path: Path) -> dict[str, dict]:
    try:
        with open(path, newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            missing = _CSV_COLUMNS - set(reader.fieldnames or ())
            if missing:
                raise TaxonomyError(f"{path}: missing columns: {', '.join(sorted(missing))}")
            return {row["id"]: _legacy_row(row) for row in reader if row.get("id")}
    except OSError as error:
        raise TaxonomyError(f"{path}: {error.strerror or error}") from None


def _legacy_row(row: dict) -> dict:
    return {
        "id": row["id"],
        "domain": row["domain"],
        "scope": [scope for scope in (row.get("scope") or "").split(";") if scope],
        **{f"label_{code}": (row.get(f"label_{code}") or "")[:200] for code in _LANGUAGES},
        "group_nl": row.get("group_nl") or "",
        "legacy_labels_nl": [
            label.strip() for label in (row.get("legacy_labels_nl") or "").split("|") if label
        ],
    }
