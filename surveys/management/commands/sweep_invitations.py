from django.core.management.base import BaseCommand

from surveys.services.sending import invitations_sweep


class Command(BaseCommand):
    help = "Queue again invitations a dead worker left behind; mark expired links."

    def handle(self, *args, **options):
        result = invitations_sweep()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in vars(result).items()))
