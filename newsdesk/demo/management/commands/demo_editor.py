from django.core.management.base import BaseCommand

from newsdesk.demo.loader import ensure_demo_editor


class Command(BaseCommand):
    help = "Creates the demo editor (a staff superuser) if needed, and says how to sign in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default="", help="Its password; by default one is generated once."
        )

    def handle(self, *args, password, **options):
        username, password = ensure_demo_editor(password)
        if password:
            self.stdout.write(f"Demo editor: {username} / {password}")
        else:
            self.stdout.write(
                f"Demo editor: {username} (password as printed when it was set; "
                "set NEWSDESK_DEMO_PASSWORD to choose a new one)"
            )
