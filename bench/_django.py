"""Django set-up for benchmark scripts: run them from the project root on a benchmark database,
e.g. `python scripts/services.py run --durable -- .venv/bin/python bench/<script>.py`."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("benchmarks run on PostgreSQL: use scripts/services.py run --durable -- ...")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
