"""Curators' family labels from a spreadsheet (`uuid,family[,note]`): each good row becomes the
curator's family decision on the event, with its audit row, as a decision in the family queue
does. A row that names no known event, holds a bad value or repeats an earlier row is reported
with its line and skipped; the good rows are kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from curation.models import EventCuration
from events.models import Event
from events.selectors import event_id_in

IMPORT_USERNAME = "family-label-import"
_VALUES = {"1": True, "0": False}


@dataclass
class LabelImport:
    written: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"labels written {self.written}, rows rejected {len(self.problems)}"


def import_user():
    """The dedicated user that imported labels are decided by, when no curator is named: it
    cannot log in."""
    user, created = get_user_model().objects.get_or_create(username=IMPORT_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def family_labels_import(*, text: str, curator) -> LabelImport:
    """Read the CSV `text` and write its good rows in one transaction."""
    result = LabelImport()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in next(reader, [])]
    if "uuid" not in header or "family" not in header:
        result.problems.append("line 1: the header must name the columns uuid and family")
        return result
    wanted = _rows(reader, header, result)
    events = dict(
        Event.objects.filter(udb_id__in=[udb_id for udb_id, *_rest in wanted.values()]).values_list(
            "udb_id", "pk"
        )
    )
    now = timezone.now()
    with transaction.atomic():
        for line, (udb_id, family, note) in wanted.items():
            if udb_id not in events:
                result.problems.append(f"line {line}: no event {udb_id}")
                continue
            _decide(events[udb_id], family, note, curator, now)
            result.written += 1
    result.problems.sort(key=lambda problem: int(problem.split(":")[0].split()[1]))
    return result


def _rows(reader, header: list[str], result: LabelImport) -> dict[int, tuple]:
    """line -> (udb_id, family, note) of the rows well formed, the others reported."""
    uuid_at, family_at = header.index("uuid"), header.index("family")
    note_at = header.index("note") if "note" in header else None
    seen: dict[str, int] = {}
    wanted = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        raw_id, raw_family = cells[uuid_at].strip(), cells[family_at].strip()
        udb_id = event_id_in(raw_id) or raw_id.lower()
        if not udb_id:
            result.problems.append(f"line {line}: no uuid")
        elif raw_family not in _VALUES:
            result.problems.append(f"line {line}: family {raw_family!r} is not 1 or 0")
        elif udb_id in seen:
            result.problems.append(f"line {line}: {udb_id} repeats line {seen[udb_id]}")
        else:
            seen[udb_id] = line
            note = cells[note_at].strip() if note_at is not None else ""
            wanted[line] = (udb_id, _VALUES[raw_family], note)
    return wanted


def _decide(event_id: int, family: bool, note: str, curator, now) -> None:
    curation, _created = EventCuration.objects.select_for_update().get_or_create(event_id=event_id)
    old = {"family": curation.family}
    EventCuration.objects.filter(event_id=event_id).update(
        family=family, family_decided_by=curator, family_decided_at=now
    )
    audit_record(
        actor=curator,
        action="family.label_imported",
        object_type="events.event",
        object_id=str(event_id),
        old_values=old,
        new_values={"family": family},
        note=note,
    )
