"""The roles a newsroom has, as Wagtail groups (docs/editors.md, "Roles").

Each role is a set of model permissions ("app_label.codename"), of page permissions on the
whole page tree and of collection permissions on every collection of images and documents.
The migration 0001_roles makes the groups; Administrator is made whole again after every
migrate (apps.py), as permissions of apps added later are created only then.
"""

ACCESS_ADMIN = "wagtailadmin.access_admin"

REPORTER = "Reporter"
EDITOR = "Editor"
NEWSLETTER_EDITOR = "Newsletter editor"
ADMINISTRATOR = "Administrator"


def _model(app_label, model, *actions):
    return [f"{app_label}.{action}_{model}" for action in actions]


ROLES = {
    REPORTER: {
        "pages": ["add", "change"],
        "images": ["add", "choose"],
        "documents": ["add", "choose"],
        "models": [
            ACCESS_ADMIN,
            *_model("people", "contributor", "view", "add"),
        ],
    },
    EDITOR: {
        "pages": ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
        "images": ["add", "change", "delete", "choose"],
        "documents": ["add", "change", "delete", "choose"],
        "models": [
            ACCESS_ADMIN,
            *_model("feed", "newsitem", "view", "add", "change", "delete", "publish"),
            *_model("curation", "editorspicks", "change"),
            *_model("people", "contributor", "view", "add", "change", "delete"),
            *_model("narration", "pronunciation", "view", "add", "change", "delete"),
            *_model("wagtailredirects", "redirect", "view", "add", "change", "delete"),
        ],
    },
    NEWSLETTER_EDITOR: {
        "pages": [],
        "images": ["choose"],
        "documents": [],
        "models": [
            ACCESS_ADMIN,
            *_model("newsletters", "newsletter", "view", "add", "change"),
            *_model("newsletters", "issue", "view", "add", "change", "delete", "send"),
            *_model("newsletters", "subscription", "view", "delete"),
            *_model("newsletters", "suppression", "view", "add", "change", "delete"),
            *_model("newsletters", "subscriberimport", "view", "add"),
        ],
    },
}

PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")
COLLECTION_MODELS = {"images": ("wagtailimages", "image"), "documents": ("wagtaildocs", "document")}
COLLECTION_ACTIONS = ("add", "change", "delete", "choose")


def _permission(apps, name):
    """The permission named "app_label.codename", made if it is not there yet.

    A migration runs before post_migrate makes the permissions of a fresh database (and
    Wagtail's "publish" and "choose" ones after them): they are made here as they would be.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = name.split(".")
    # "bulk_delete_page", "send_issue": a model's name holds no underscore. Wagtail's
    # admin access is a permission on its own "admin" content type.
    model = "admin" if app_label == "wagtailadmin" else codename.rsplit("_", 1)[1]
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {codename.replace('_', ' ')}"[:255]},
    )
    return permission


def make_roles(apps, schema_editor=None):
    """Makes (or makes whole again) each role's group; running it twice changes nothing."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    def grant(group, role):
        group.permissions.add(*(_permission(apps, name) for name in role["models"]))
        if root_page:
            for action in role["pages"]:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=_permission(apps, f"wagtailcore.{action}_page"),
                )
        if root_collection:
            for kind, (app_label, model) in COLLECTION_MODELS.items():
                for action in role[kind]:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group,
                        collection=root_collection,
                        permission=_permission(apps, f"{app_label}.{action}_{model}"),
                    )

    for name, role in ROLES.items():
        grant(Group.objects.get_or_create(name=name)[0], role)
    grant(
        Group.objects.get_or_create(name=ADMINISTRATOR)[0],
        {
            "models": [ACCESS_ADMIN],
            "pages": PAGE_ACTIONS,
            **dict.fromkeys(COLLECTION_MODELS, COLLECTION_ACTIONS),
        },
    )
    give_administrators_everything(apps)


def give_administrators_everything(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrators = Group.objects.filter(name=ADMINISTRATOR).first()
    if administrators:
        administrators.permissions.add(*Permission.objects.all())


def remove_roles(apps, schema_editor=None):
    apps.get_model("auth", "Group").objects.filter(name__in=[*ROLES, ADMINISTRATOR]).delete()
