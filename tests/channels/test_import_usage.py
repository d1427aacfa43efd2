import datetime
import gzip

import pytest
from django.core.management import call_command

from channels.models import ApiUsage, WidgetDay
from channels.snowplow import FIELD_COUNT, DayOf, read_event
from tests.channels.factories import channel_document, import_channels, views, write_tsv
from tests.channels.snowplow_lines import enriched_line

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def channel(db, tmp_path):
    import_channels(
        tmp_path, [channel_document(name="UiT in Aalst", pages=("p1",), keys=("client-a",))], DAY
    )


def test_a_generated_line_has_the_canonical_131_fields_with_event_id_seventh():
    at = datetime.datetime(2026, 3, 1, 23, 30)  # 00:30 in Brussels: the next local day
    fields = enriched_line(page_id="p1", at=at, event_id="e-1").split("\t")
    assert len(fields) == FIELD_COUNT and fields[0] == "widgets" and fields[6] == "e-1"
    event = read_event("\t".join(fields), DayOf())
    assert (event.day, event.kind, event.page_id) == (datetime.date(2026, 3, 2), "views", "p1")


def test_bad_event_lines_are_reported_with_file_line_and_reason_and_the_rest_kept(
    channel, tmp_path, capsys
):
    good = views("p1", DAY, 2)
    no_context = enriched_line(page_id=None, at=datetime.datetime(2026, 3, 2, 9))
    other_app = enriched_line(page_id="p1", at=datetime.datetime(2026, 3, 2, 9), app_id="site")
    path = write_tsv(tmp_path, [good[0], "just\tthree\tfields", no_context, other_app, good[1]])
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_widget_events", str(path))
    assert exit_status.value.code == 1
    captured = capsys.readouterr()
    assert f"{path} line 2: 3 fields where an enriched event has 131" in captured.err
    assert f"{path} line 3: no contexts: the widget context is missing" in captured.err
    assert "5 read, 2 kept, 1 skipped, 2 bad" in captured.out  # another app's event: skipped
    assert WidgetDay.objects.get().views == 2


def test_a_gzipped_file_that_breaks_off_exits_2(channel, tmp_path, capsys):
    path = tmp_path / "cut.tsv.gz"
    path.write_bytes(gzip.compress("\n".join(views("p1", DAY, 50)).encode())[:-40])
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_widget_events", str(path))
    assert exit_status.value.code == 2
    assert "cannot read" in capsys.readouterr().err
    assert not WidgetDay.objects.exists()  # nothing of a file read halfway


def test_api_usage_is_upserted_by_date_and_key_and_bad_lines_reported(channel, tmp_path, capsys):
    first = tmp_path / "usage-1.csv"
    first.write_text("date,client_id,requests\n2026-03-01,client-a,10\n2026-03-01,stranger,4\n")
    call_command("import_api_usage", str(first))
    second = tmp_path / "usage-2.csv.gz"
    second.write_bytes(
        gzip.compress(
            b"2026-03-01,client-a,12\n2026-13-01,client-a,1\n2026-03-02,client-a,-3\n"
            b"2026-03-03,,5\n2026-03-04,client-a\n"
        )
    )
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_api_usage", str(second))
    assert exit_status.value.code == 1
    err = capsys.readouterr().err
    assert f"{second} line 2: date '2026-13-01' is not a date like 2026-03-01" in err
    assert f"{second} line 3: requests '-3' is not a whole number of 0 or more" in err
    assert f"{second} line 4: client_id is empty" in err
    assert f"{second} line 5: 2 columns where date,client_id,requests has 3" in err
    usage = dict(ApiUsage.objects.values_list("key", "requests"))
    assert usage == {"client-a": 12, "stranger": 4}  # replaced, not added


def test_api_usage_of_an_unknown_key_is_reported_and_joins_its_channel_once_known(
    channel, tmp_path, capsys
):
    path = tmp_path / "usage.csv"
    path.write_text("2026-03-01,later-key,7\n")
    call_command("import_api_usage", str(path))
    assert "1 keys of no known channel: later-key" in capsys.readouterr().out
    import_channels(
        tmp_path, [channel_document(name="Later", type="search-api", keys=("later-key",))], DAY
    )
    assert ApiUsage.objects.get().channel.name == "Later"
