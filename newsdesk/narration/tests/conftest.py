import pytest


@pytest.fixture
def publish_narrated(publish_article, run_tasks, django_capture_on_commit_callbacks):
    """Publishes an article as an editor would (narration queued on commit), then runs the worker."""

    def publish(*args, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            article = publish_article(*args, **fields)
        run_tasks()
        return article

    return publish


@pytest.fixture
def republish(run_tasks, django_capture_on_commit_callbacks):
    def again(article):
        with django_capture_on_commit_callbacks(execute=True):
            article.save_revision().publish()
        run_tasks()
        article.narration.refresh_from_db()
        return article.narration

    return again


def paragraphs(*texts):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]
