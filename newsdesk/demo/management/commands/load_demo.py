import logging

from django.core.management.base import BaseCommand, CommandError

from newsdesk.demo.loader import demo_needed, load_demo


class Command(BaseCommand):
    help = "Loads the demo newsroom (stories, people, sections, pictures) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load it only into a newsroom without stories, and do nothing otherwise.",
        )

    def handle(self, *args, if_empty, **options):
        if not demo_needed():
            if if_empty:
                return
            raise CommandError(
                "This newsroom already has stories; the demo loads only into an empty one."
            )
        self.stdout.write("Loading the demo newsroom…")
        # One line for the whole demo, not one per story published.
        events = logging.getLogger("newsdesk.events")
        level = events.level
        events.setLevel(logging.WARNING)
        try:
            counts = load_demo()
        finally:
            events.setLevel(level)
        self.stdout.write(
            "Loaded {articles} demo stories in {sections} sections with {images} pictures.".format(
                **counts
            )
        )
