#!/usr/bin/env python
"""The family model's cross-validated figures on a labelled folder (no database):

    .venv/bin/python bench/family_model_cv.py DIR [--c 10] [--min-df 2]

DIR holds `events.jsonl` (UiTdatabank JSON-LD, one a line) and `labels.csv` (`uuid,family`).
Prints the rule (version 1, the deck's) and the model on the same stratified 5-fold split,
the model at the threshold chosen on those out-of-fold scores, and the nested figure: the
threshold chosen on inner folds of each training part, measured on the held-out fold.
"""

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--c", type=float, default=None)
    parser.add_argument("--min-df", type=int, default=None)
    parser.add_argument("--min-precision", type=float, default=0.96)
    args = parser.parse_args()
    import django

    django.setup()
    from family.services import learning
    from family.services.features import Vectoriser
    from family.services.rule import compiled_rule

    options = {}
    if args.c is not None:
        options["c"] = args.c
    if args.min_df is not None:
        options["min_df"] = args.min_df
    values, labels, _languages = read_folder(args.folder)
    rule = compiled_rule(default_rule())
    results = [rule.classify_values(row[:6]) for row in values]
    started = time.monotonic()
    vectoriser = Vectoriser()
    text, signals = vectoriser.counts(zip(values, results, strict=True))
    options["blocks"] = vectoriser.blocks
    cv = learning.cross_validate(
        text, signals, labels, [r.label for r in results], args.min_precision, **options
    )
    nested = learning.nested_cross_validate(text, signals, labels, args.min_precision, **options)
    print(
        json.dumps(
            {
                **cv.as_json(),
                "nested": nested.as_json(),
                "seconds": round(time.monotonic() - started, 1),
            },
            indent=1,
        )
    )


def read_folder(folder: Path):
    from events.services.documents import event_record, identify
    from family.services.features import MODEL_FIELDS

    labels = {}
    with (folder / "labels.csv").open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            labels[row["uuid"].strip().lower()] = row["family"].strip() == "1"
    values, truth, languages = [], [], []
    with (folder / "events.jsonl").open(encoding="utf-8") as file:
        for line in file:
            document = json.loads(line)
            _kind, udb_id = identify(document)
            if udb_id not in labels:
                continue
            record = event_record(document, udb_id)
            term_ids = [term.id for term in record.terms]
            row = {**vars(record), "term_ids": term_ids}
            values.append(tuple(row[name] for name in MODEL_FIELDS))
            truth.append(labels[udb_id])
            languages.append(record.main_language)
    return values, truth, languages


def default_rule():
    from events.services.taxonomy import taxonomy_rows
    from family import defaults
    from family.models import FamilyRule

    class Terms:
        rows = taxonomy_rows()

        @classmethod
        def filter(cls, domain):
            return [SimpleNamespace(**row) for row in cls.rows if row["domain"] == domain]

    Term = SimpleNamespace(objects=Terms)
    # Unsaved: the model's field defaults are version 1's points and threshold (the deck's).
    return FamilyRule(
        version=1,
        keywords=defaults.KEYWORDS,
        excluded_event_types=defaults.term_ids_by_label(
            Term, "eventtype", defaults.EXCLUDED_EVENT_TYPES
        ),
        excluded_themes=defaults.term_ids_by_label(Term, "theme", defaults.EXCLUDED_THEMES),
        excluded_keywords=defaults.EXCLUDED_KEYWORDS,
    )


if __name__ == "__main__":
    main()
