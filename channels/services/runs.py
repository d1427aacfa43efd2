"""One import run over files, as the Snowplow and API usage imports both do it: each file on
its own (one that cannot be read is reported, the next follows), then the months of the
channels touched are rewritten and the run leaves its audit row."""

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from channels.services.inputs import ImportSummary
from channels.services.summaries import summaries_refresh
from core.services import audit_record
from events.services.sources import InputError


def import_run(
    *,
    paths: list[Path],
    import_file: Callable[[Path], set],
    summary: ImportSummary,
    on_unreadable: Callable[[str], None],
    action: str,
    object_type: str,
    actor=None,
) -> ImportSummary:
    touched = set()
    for path in paths:
        try:
            touched |= import_file(path)
        except InputError as error:
            summary.unreadable.append(str(error))
            on_unreadable(str(error))
    summaries_refresh(channel_ids=touched)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=action,
            object_type=object_type,
            new_values={"read": summary.read, "kept": summary.kept, "bad": summary.bad},
            note=" ".join(map(str, paths))[:500],
        )
    return summary
