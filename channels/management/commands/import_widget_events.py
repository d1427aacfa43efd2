from channels.management.imports import ImportCommand
from channels.services.inputs import ImportSummary
from channels.services.widget_events import unknown_widgets, widget_events_import


class Command(ImportCommand):
    help = (
        "Import Snowplow enriched events (TSV, optionally gzipped) of the widgets as counts per "
        "channel, page and day. A file already imported is skipped. Events of unknown widgets "
        "are counted apart and reported. Exit status: 0 all read, 1 some lines rejected, 2 an "
        "input could not be read."
    )

    def handle(self, *args, **options):
        summary = ImportSummary()
        widget_events_import(
            paths=self.paths(options),
            on_bad=self.bad,
            on_unreadable=self.unreadable,
            on_line=self.progress(lambda: summary),
            summary=summary,
        )
        for widget in unknown_widgets():
            summary.notes.append(
                f"unknown widget page {widget['page_id']} ({widget['name']}): "
                f"{widget['views']} page views, {widget['impressions']} impressions, "
                f"{widget['clicks']} clicks, last on {widget['last_day']}"
            )
        self.finish(summary)
