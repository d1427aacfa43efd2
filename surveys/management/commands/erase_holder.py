from django.core.management.base import BaseCommand, CommandError

from museumpas.models import Holder
from surveys.services.privacy import holder_erase


class Command(BaseCommand):
    help = "Erase a pass holder (by pass holder id): answers stay, anonymous; figures stay intact."

    def add_arguments(self, parser):
        parser.add_argument("holder_id", help="the pass holder id (as imported)")

    def handle(self, *args, holder_id, **options):
        holder = Holder.objects.filter(external_id=holder_id, erased_at=None).first()
        if holder is None:
            raise CommandError(f"no pass holder with id {holder_id!r}")
        result = holder_erase(holder=holder)
        self.stdout.write(
            f"holder erased; {result['responses_detached']} responses kept without identity"
        )
