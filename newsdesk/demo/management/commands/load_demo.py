from django.core.management.base import BaseCommand, CommandError

from newsdesk.demo.loader import demo_needed, load_demo


class Command(BaseCommand):
    help = "Loads the demo newsroom (stories, people, sections, pictures) into an empty database."

    def handle(self, *args, **options):
        if not demo_needed():
            raise CommandError(
                "This newsroom already has stories; the demo loads only into an empty one."
            )
        counts = load_demo()
        self.stdout.write(
            "Loaded {articles} demo stories in {sections} sections with {images} pictures.".format(
                **counts
            )
        )
