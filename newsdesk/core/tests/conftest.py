"""What the page cache's and the kept fragments' tests share: stories published as an editor would."""

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
