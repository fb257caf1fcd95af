from django.core.management.base import BaseCommand, CommandError

from newsdesk.demo.archive import generate_archive


class Command(BaseCommand):
    help = "Adds a large synthetic archive of articles and news feed items, for scale tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument(
            "--feed-items", type=int, default=None, help="Default: half the number of articles."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--skip-search-index", action="store_true", help="Leave the search index alone."
        )

    def handle(self, *args, articles, feed_items, seed, skip_search_index, **options):
        if not 1 <= articles <= 1_000_000:
            raise CommandError("--articles must be between 1 and 1,000,000")
        counts = generate_archive(
            articles, feed_items, seed=seed, search_index=not skip_search_index
        )
        self.stdout.write(
            "Added {articles} articles in {sections} sections and {feed_items} news feed items.".format(
                **counts
            )
        )
