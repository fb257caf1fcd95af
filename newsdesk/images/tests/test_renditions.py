"""Renditions are made in the worker once a picture is uploaded, so that no reader's first view waits."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from PIL import Image

from newsdesk.home.models import HomePage
from newsdesk.images import pictures
from newsdesk.images.models import NewsImage, NewsRendition
from newsdesk.images.tasks import make_renditions

pytestmark = pytest.mark.django_db
TASK = "newsdesk.images.tasks.make_renditions"


def picture_file(name="upload.jpg", colour=(40, 90, 140)):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), colour).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name=name)


def queued_pictures(queued_tasks):
    return [args[0] for path, args, _ in queued_tasks() if path == TASK]


def test_uploading_or_replacing_a_picture_queues_its_renditions(
    editor_client, queued_tasks, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("wagtailimages:add"), {"title": "The ferry", "file": picture_file()}
        )
    assert response.status_code == 302
    image = NewsImage.objects.get(title="The ferry")
    assert queued_pictures(queued_tasks) == [[image.pk]]
    run_tasks()
    old = set(image.renditions.values_list("file", flat=True))
    assert len(old) == len(pictures.filter_specs())

    # A new file: Wagtail deletes the old renditions after saving, and the task, queued on
    # commit, makes the new ones.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {"title": "The ferry", "file": picture_file("new.jpg", (200, 40, 40))},
        )
    assert response.status_code == 302
    assert queued_pictures(queued_tasks) == [[image.pk]]
    run_tasks()
    new = set(image.renditions.values_list("file", flat=True))
    assert len(new) == len(old) and not new & old


def test_a_change_that_leaves_the_renditions_as_they_were_queues_nothing(
    newsroom, queued_tasks, django_capture_on_commit_callbacks
):
    image = newsroom["image"]
    image.description = "The river at dusk, from the bridge"
    with django_capture_on_commit_callbacks(execute=True):
        image.save(update_fields=["description"])
    assert queued_pictures(queued_tasks) == []
    image.focal_point_x, image.focal_point_y = 100, 100
    image.focal_point_width = image.focal_point_height = 50
    with django_capture_on_commit_callbacks(execute=True):
        image.save(update_fields=["focal_point_x", "focal_point_y"])
    assert queued_pictures(queued_tasks) == [[image.pk]]


def test_publishing_a_story_queues_its_pictures(
    newsroom, publish_article, picture_maker, queued_tasks, django_capture_on_commit_callbacks
):
    inline = picture_maker("The quay")
    body = [
        {"type": "paragraph", "value": "<p>The ferry is back.</p>"},
        {"type": "image", "value": {"image": inline.pk, "caption": "", "credit": ""}},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(lead_image=newsroom["image"], body=body)
    assert queued_pictures(queued_tasks) == [sorted([newsroom["image"].pk, inline.pk])]


def test_the_task_makes_every_rendition_the_pages_ask_for(
    client, newsroom, publish_article, picture_maker
):
    lead, inline = newsroom["image"], picture_maker("The quay")
    body = [{"type": "image", "value": {"image": inline.pk, "caption": "", "credit": ""}}]
    stories = [
        publish_article(f"Ferry story {n}", lead_image=lead, body=body, tags=["ferries"])
        for n in range(8)
    ]
    make_renditions.call([lead.pk, inline.pk])
    for image in (lead, inline):
        assert set(image.renditions.values_list("filter_spec", flat=True)) == set(
            pictures.filter_specs()
        )
    made = NewsRendition.objects.count()
    make_renditions.call([lead.pk, inline.pk])  # once is enough: a second run makes nothing
    assert NewsRendition.objects.count() == made

    # The front page's lead, grid and compact cards, a section's, a tag's, the story's own.
    shown = [HomePage.objects.get().url, newsroom["section"].url, "/tags/ferries/", stories[0].url]
    for url in shown:
        page = client.get(url)
        assert page.status_code == 200 and b"<picture>" in page.content, url
    assert NewsRendition.objects.count() == made


def test_a_picture_whose_file_cannot_be_read_is_logged_and_the_worker_goes_on(
    newsroom, picture_maker, caplog
):
    gone, garbled, fine = newsroom["image"], picture_maker("Garbled"), picture_maker("Fine")
    default_storage.delete(gone.file.name)
    with default_storage.open(garbled.file.name, "wb") as file:
        file.write(b"not a picture at all")
    with caplog.at_level("WARNING", logger="newsdesk.images.tasks"):
        make_renditions.call([gone.pk, garbled.pk, fine.pk, 999_999])  # and one deleted since
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith(f"No renditions of picture {gone.pk} (“A river at dusk”): its file")
    assert lines[1].startswith(f"No renditions of picture {garbled.pk} (“Garbled”): its file")
    assert fine.renditions.count() == len(pictures.filter_specs())


def test_reader_templates_ask_for_pictures_by_name_only():
    """A size spelled out in a template would be one the worker does not make."""
    templates = Path(__file__).parents[2].glob("*/templates/**/*.html")
    spelled_out = [
        str(template)
        for template in templates
        if "{% picture " in (text := template.read_text()) or "{% srcset_image " in text
    ]
    assert spelled_out == []


def test_a_picture_not_offered_is_an_error_naming_those_that_are(newsroom):
    tag = '{% load pictures %}{% page_picture image "poster" alt="" %}'
    with pytest.raises(TemplateSyntaxError, match=r"No picture is named 'poster'.*lead figure"):
        Template(tag)
    with pytest.raises(TemplateSyntaxError, match="a picture's name in quotes"):
        Template("{% load pictures %}{% page_picture image figure %}")
    html = Template('{% load pictures %}{% page_picture image "compact card" alt="" %}').render(
        Context({"image": newsroom["image"]})
    )
    assert html.count("<source") == 1 and 'type="image/webp"' in html
    assert "160x90" in html or 'width="160"' in html


def test_a_picture_narrower_than_the_largest_size_names_each_width_once():
    # 1600 px wide: the lead figure's 2000 px size comes out 1600 px, as its 1600 px one does.
    image = NewsImage.objects.create(title="Skyline", file=picture_file())
    html = Template('{% load pictures %}{% page_picture image "lead figure" alt="" %}').render(
        Context({"image": image})
    )
    srcsets = re.findall(r'srcset="([^"]+)"', html)
    assert len(srcsets) == 2  # WebP, then JPEG
    for srcset in srcsets:
        widths = [candidate.rsplit(" ", 1)[1] for candidate in srcset.split(", ")]
        assert widths == ["480w", "800w", "1200w", "1600w"], srcset
