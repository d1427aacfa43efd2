from channels.management.imports import ImportCommand
from channels.services.api_usage import api_usage_import


class Command(ImportCommand):
    help = (
        "Import Search API usage: CSV date,client_id,requests (daily counts per client id or "
        "legacy API key, optionally gzipped), upserted by date and key. Exit status: 0 all kept, "
        "1 some lines rejected, 2 an input could not be read."
    )

    def handle(self, *args, **options):
        summary = api_usage_import(
            paths=self.paths(options), on_bad=self.bad, on_unreadable=self.unreadable
        )
        self.finish(summary)
