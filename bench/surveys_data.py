"""Museum pass data at scale, written by INSERT ... SELECT generate_series: seconds, not minutes."""

import time

from django.db import connection

from museumpas.models import Museum


def build(*, museums: int, holders: int, visits: int, days: int = 365) -> None:
    started = time.monotonic()
    Museum.objects.bulk_create(
        Museum(
            external_id=f"m{n}",
            name=f"Museum {n}",
            region=("flanders", "brussels", "wallonia")[n % 3],
            size_class=("small", "medium", "large")[n % 3],
        )
        for n in range(museums)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO museumpas_holder
                (external_id, language, postcode, region, birth_year, email, created)
            SELECT 'h' || g,
                   (ARRAY['nl', 'nl', 'nl', 'fr', 'en'])[1 + g %% 5],
                   (ARRAY['2000', '9000', '1000', '4000', '8000'])[1 + g %% 5],
                   (ARRAY['flanders', 'flanders', 'brussels', 'wallonia', 'flanders'])[1 + g %% 5],
                   1940 + g %% 65,
                   'holder' || g || '@example.org',
                   DATE '2024-01-01' + (g %% 700)
            FROM generate_series(1, %s) AS g
            """,
            [holders],
        )
        cursor.execute(
            """
            INSERT INTO museumpas_pass
                (external_id, holder_id, card_number, valid_from, valid_until, channel,
                 is_renewal, price)
            SELECT 'p' || h.id, h.id, lpad(h.id::text, 12, '0'),
                   CURRENT_DATE - 200, CURRENT_DATE + 165,
                   (ARRAY['online', 'museum', 'partner'])[1 + h.id % 3], h.id % 2 = 0, 65
            FROM museumpas_holder h
            """
        )
        cursor.execute("SELECT min(id), max(id) FROM museumpas_holder")
        holder_min, holder_max = cursor.fetchone()
        cursor.execute("SELECT min(id), max(id) FROM museumpas_museum")
        museum_min, museum_max = cursor.fetchone()
        cursor.execute(
            """
            INSERT INTO museumpas_visit (external_id, holder_id, museum_id, visited_at)
            SELECT 'v' || g,
                   %s + floor(random() * %s)::int,
                   %s + floor(random() * %s)::int,
                   now() - random() * make_interval(days => %s)
            FROM generate_series(1, %s) AS g
            """,
            [
                holder_min,
                holder_max - holder_min + 1,
                museum_min,
                museum_max - museum_min + 1,
                days,
                visits,
            ],
        )
        cursor.execute("ANALYZE")
    print(
        f"data: {museums} museums, {holders} holders and passes, {visits} visits "
        f"in {time.monotonic() - started:.1f} s",
        flush=True,
    )
