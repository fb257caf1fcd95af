import pytest
from django.contrib.auth.models import User

from newsdesk.articles.models import ArticleCorrection, ArticlePage, SectionPage
from newsdesk.core.models import NewsroomSettings
from newsdesk.curation.models import EditorsPicks
from newsdesk.demo.loader import demo_needed, ensure_demo_editor, load_demo
from newsdesk.feed.models import NewsItem
from newsdesk.home.models import HomePage
from newsdesk.images.models import NewsImage, NewsRendition
from newsdesk.people.models import Contributor

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    assert demo_needed()
    return load_demo()


def test_the_demo_newsroom_has_everything_the_article_page_shows(demo, client):
    articles = ArticlePage.objects.live()
    assert articles.count() >= 12
    assert SectionPage.objects.live().count() >= 3
    assert all(section.get_children().live().exists() for section in SectionPage.objects.all())
    assert Contributor.objects.filter(kind="person").count() >= 4
    assert Contributor.objects.filter(kind="desk").exists()
    assert all(article.bylines.exists() for article in articles)
    assert NewsroomSettings.objects.get().time_zone == "Europe/Kyiv"

    images = NewsImage.objects.all()
    assert images.count() >= 12
    assert all(image.caption and " / " in image.credit and image.description for image in images)
    assert all(image.width == 1600 and image.height == 900 for image in images)

    block_types = {block.block_type for article in articles for block in article.body}
    assert {
        "paragraph",
        "block_quote",
        "pull_quote",
        "heading",
        "image",
        "related_story",
    } <= block_types
    assert ArticleCorrection.objects.count() >= 1
    assert articles.filter(lead_image__isnull=False).count() >= 12
    assert all(article.reading_time >= 1 for article in articles)
    # Stories are spread over days, newest first on the front page.
    assert len({article.first_published_at for article in articles}) == articles.count()

    # The front of the site: arranged stories, editors' picks, a live news feed.
    home = HomePage.objects.get()
    assert home.featured_stories.count() >= 3
    assert len(EditorsPicks.objects.get().articles()) >= 3
    assert NewsItem.objects.published().count() >= 8
    assert NewsItem.objects.published().filter(article__isnull=False).exists()

    for article in articles:
        assert client.get(article.url).status_code == 200
    assert not demo_needed()


def test_the_demo_makes_the_renditions_its_pages_show_as_it_loads(demo, client):
    made = NewsRendition.objects.count()
    assert made >= NewsImage.objects.count() * 12
    for page in [HomePage.objects.get(), *ArticlePage.objects.live()]:
        assert client.get(page.url).status_code == 200
    assert NewsRendition.objects.count() == made


def test_the_demo_editor_gets_a_generated_password_printed_once(db):
    username, password = ensure_demo_editor()
    assert username == "editor" and len(password) >= 12
    user = User.objects.get(username="editor")
    assert user.is_staff and user.is_superuser and user.check_password(password)
    assert ensure_demo_editor() == ("editor", None)


def test_the_demo_editor_takes_the_password_from_the_environment(db):
    ensure_demo_editor("first-password-1")
    assert ensure_demo_editor("second-password-2") == ("editor", "second-password-2")
    assert User.objects.get(username="editor").check_password("second-password-2")
    # The next start with the same environment prints it no more.
    assert ensure_demo_editor("second-password-2") == ("editor", None)


def test_the_demo_is_narrated_front_page_first_then_newest_and_after_a_story_an_editor_publishes(
    base_site, run_tasks, django_capture_on_commit_callbacks
):
    from django_tasks.signals import task_started

    from newsdesk.narration.models import Narration

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        section = SectionPage.objects.live().first()
        scoop = section.add_child(instance=ArticlePage(title="A scoop", slug="scoop", live=False))
        scoop.save_revision().publish()
    # Switched off, each narration is quick: what is tested is the order the worker takes them.
    Narration.objects.update(enabled=False)

    taken = []

    def record(sender, task_result, **kwargs):
        if task_result.task.name == "narrate_article":
            taken.append(task_result.args[0])

    task_started.connect(record)
    try:
        run_tasks("narration")
    finally:
        task_started.disconnect(record)
    front = list(HomePage.objects.get().featured_stories.values_list("article_id", flat=True))
    newest = ArticlePage.objects.exclude(pk__in=[scoop.pk, *front]).order_by("-first_published_at")
    # The front page's lead is not the newest story: its order is the editors', not the clock's.
    assert front != list(
        ArticlePage.objects.filter(pk__in=front)
        .order_by("-first_published_at")
        .values_list("pk", flat=True)
    )
    assert taken == [scoop.pk, *front, *newest.values_list("pk", flat=True)]
