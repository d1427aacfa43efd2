"""COPY's binary encoding of moments: microseconds since 2000-01-01 UTC, exactly."""

import io
import struct
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from events.services.writers import _binary_moment

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(timezones=OFFSETS))
def test_a_moment_is_its_microseconds_since_2000_whatever_its_offset(moment):
    encoded = _binary_moment(moment)
    length, microseconds = struct.unpack(">iq", encoded)
    assert length == 8
    assert microseconds == (moment - EPOCH) // timedelta(microseconds=1)


def test_no_moment_is_null():
    assert _binary_moment(None) == struct.pack(">i", -1)


@pytest.mark.django_db
def test_postgresql_reads_back_the_same_moments():
    moments = [
        datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(1850, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),
        datetime(2026, 11, 29, 7, 30, 0, 123_456, tzinfo=timezone(timedelta(hours=-5))),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    ]
    data = b"".join(
        [
            b"PGCOPY\n\xff\r\n\x00" + bytes(8),
            *(struct.pack(">h", 1) + _binary_moment(moment) for moment in moments),
            b"\xff\xff",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE moments (at timestamptz)")
        cursor.cursor.copy_expert("COPY moments FROM STDIN (FORMAT binary)", io.BytesIO(data))
        cursor.execute("SELECT at FROM moments")
        assert [row[0] for row in cursor.fetchall()] == moments
