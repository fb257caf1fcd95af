from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def keep_administrators_whole(sender, apps=global_apps, **kwargs):
    """Sent once for each app, after that app's permissions are made: one query each time."""
    from newsdesk.desk.roles import give_administrators_everything

    give_administrators_everything(apps)


class DeskConfig(AppConfig):
    """The newsroom's roles: Wagtail groups made by its migration (roles.py)."""

    name = "newsdesk.desk"
    label = "desk"
    verbose_name = "Desk"

    def ready(self):
        # Every app's post_migrate, as each makes its own permissions (Wagtail's and Django's too).
        post_migrate.connect(keep_administrators_whole, dispatch_uid="desk_administrators")
