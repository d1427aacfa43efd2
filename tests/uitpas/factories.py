"""API-shaped UiTPAS records and a way to import them through `import_uitpas`."""

import gzip
import io
import json
import uuid
from pathlib import Path

from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "uitpas"


def holder_uuid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"holder-{name}"))


def passholder(name, postal_code, created, *, social=None, card_system=7, birth="1990-05-01"):
    record = json.loads((FIXTURES / "uitpas_passholder_example.json").read_text())
    record["id"] = holder_uuid(name)
    record["address"] = {"postalCode": postal_code, "city": "X", "street": "Secretstraat 1"}
    record["postalCode"] = postal_code
    record["creationDate"] = created
    record["dateOfBirth"] = birth
    record["email"] = f"{name}@example.org"
    membership = record["cardSystemMemberships"][0]
    membership["cardSystem"]["id"] = card_system
    if social is None:
        membership.pop("socialTariff")
    else:
        status, end = social
        membership["socialTariff"] = {"status": status, "endDate": end, "inGracePeriod": False}
    return record


def checkin(identifier, name, moment, points=1):
    record = json.loads((FIXTURES / "uitpas_checkin_example.json").read_text())
    record.update(id=identifier, creationDate=moment, points=points)
    record["passholder"]["id"] = holder_uuid(name)
    return record


def redemption(identifier, name, moment, points):
    record = json.loads((FIXTURES / "uitpas_reward_redemption_example.json").read_text())
    record.update(id=identifier, redeemDate=moment, passholderId=holder_uuid(name))
    record["reward"]["points"] = points
    return record


def sale(identifier, name, moment, *, kind="SOCIALTARIFF", price=2.5, regular=10):
    record = json.loads((FIXTURES / "uitpas_ticketsale_example.json").read_text())
    record.update(id=identifier, creationDate=moment, regularPrice=regular)
    record["tariff"] = {"id": kind, "name": kind, "price": price, "type": kind}
    record["passholder"]["id"] = holder_uuid(name)
    return record


def card_system(identifier, name, postal_codes):
    record = json.loads((FIXTURES / "uitpas_cardsystem_example.json").read_text())
    record.update(id=identifier, name=name)
    record["cities"] = [{"postalCode": code, "name": code} for code in postal_codes]
    return record


def write_lines(path: Path, records, *, gzipped=False) -> Path:
    text = "".join(json.dumps(record) + "\n" for record in records)
    if gzipped:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def run_import(kind, *paths, no_refresh=False) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `import_uitpas kind paths`."""
    out, err = io.StringIO(), io.StringIO()
    args = ["import_uitpas", kind, *map(str, paths)]
    if no_refresh:
        args.append("--no-refresh")
    try:
        call_command(*args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    except CommandError as error:
        status = error.returncode
        err.write(str(error))
    return status, out.getvalue(), err.getvalue()


def import_records(tmp_path: Path, kind: str, records, name=None) -> tuple[int, str, str]:
    path = tmp_path / (name or f"{kind}-{uuid.uuid4().hex[:6]}.jsonl")
    return run_import(kind, write_lines(path, records))


def import_csv(tmp_path: Path, kind: str, text: str) -> tuple[int, str, str]:
    path = tmp_path / f"{kind}-{uuid.uuid4().hex[:6]}.csv"
    path.write_text(text)
    return run_import(kind, path)


def published_of(*names: str) -> int:
    """How many these holders are, as published (uitpas.privacy): keyed on their record keys."""
    from django.db.models import Sum

    from uitpas.models import Passholder
    from uitpas.privacy import published

    ids = [holder_uuid(name) for name in names]
    keys = Passholder.objects.filter(id__in=ids).aggregate(keys=Sum("record_key"))["keys"]
    return published(len(names), keys or 0)


def measures(counts: dict) -> dict:
    """The figures of `uitpas.figures.counts` without the record keys' sums."""
    from uitpas.figures import MEASURES

    return {name: counts[name] for name in MEASURES}
