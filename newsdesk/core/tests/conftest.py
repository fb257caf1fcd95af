"""What core's tests share: stories published as an editor would, documents public and private."""

import pytest


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs the block and then its on-commit callbacks, as a real transaction would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def stories(newsroom, publish_article, commit, run_tasks):
    """Two stories on different tags; the second, by the desk, shows a card of the first."""
    first = commit(publish_article, "Bridge reopens", tags=["bridges"])
    second = commit(
        publish_article,
        "Trams return",
        tags=["trams"],
        bylines=[newsroom["desk"]],
        body=[
            {"type": "paragraph", "value": "<p>Trams are back.</p>"},
            {"type": "related_story", "value": {"article": first.pk}},
        ],
    )
    run_tasks()  # the reference index, as the worker keeps it
    return first, second


def republish(article, commit, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    commit(lambda: article.save_revision().publish())
    article.refresh_from_db()
    return article


@pytest.fixture
def documents():
    """A public document, and one in a collection restricted to signed-in users."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    public = Document.objects.create(
        title="Annual report", file=ContentFile(b"%PDF public", name="annual-report.pdf")
    )
    restricted = Document.objects.create(
        title="Board minutes",
        file=ContentFile(b"%PDF restricted", name="board-minutes.pdf"),
        collection=private,
    )
    return public, restricted


@pytest.fixture
def reader():
    """A reader whose session cookie takes every request past the page cache, to the kept fragments."""
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = "no-such-session"
    return client
