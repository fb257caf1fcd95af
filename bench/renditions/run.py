"""The first view of a freshly published story: its pictures' renditions made by that view, against
made beforehand by the worker's task (images/tasks.py), in the same run.

    .venv/bin/python bench/renditions/run.py [--rounds 2]

In a throwaway data folder (the embedded profile), loads the demo newsroom, then each round
publishes two new stories as an editor would, each with a new lead picture and a new picture
in its body (drawn like the demo's, 1600x900): one as they are uploaded, one after the
task has made their renditions, as the worker does once they are uploaded. For each, the
first view of the story and then of the front page (which lists it), in this process:
CPU time (all threads: Wagtail makes renditions three at a time), wall time and the
renditions the view made. The task's own CPU time is what the worker spends instead.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import fmean as mean

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY))


def timed(work, *args):
    cpu, wall = time.process_time(), time.perf_counter()
    result = work(*args)
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()

    for name in ("DATABASE_URL", "REDIS_URL", "NEWSDESK_S3_URL"):
        os.environ.pop(name, None)
    os.environ["NEWSDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="newsdesk-renditions-")
    os.environ["NEWSDESK_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsdesk.settings"
    import django

    django.setup()
    import io

    from django.core.files.images import ImageFile
    from django.core.management import call_command
    from django.test import Client

    from newsdesk.articles.models import ArticleByline, ArticlePage, SectionPage
    from newsdesk.demo.loader import CONTENT_FILE, load_demo
    from newsdesk.demo.pictures import draw_picture
    from newsdesk.home.models import HomePage
    from newsdesk.images.models import NewsImage, NewsRendition
    from newsdesk.images.tasks import make_renditions
    from newsdesk.people.models import Contributor

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    _, _, seconds = timed(load_demo)
    print(f"demo loaded in {seconds:.0f} s", flush=True)
    drawings = json.loads(CONTENT_FILE.read_text())["images"]
    section, reporter = SectionPage.objects.first(), Contributor.objects.first()
    client = Client(HTTP_HOST="localhost")  # the embedded profile's own host
    # Templates compiled and caches filled, as on a site that has been running.
    assert client.get(HomePage.objects.get().url).status_code == 200

    def new_picture(number):
        item = drawings[number % len(drawings)]
        image = NewsImage(title=f"New {number}", description=item["alt"], credit=item["credit"])
        picture = draw_picture(item["motif"], item["palette"], seed=1000 + number)
        image.file = ImageFile(io.BytesIO(picture), name=f"new-{number}.jpg")
        image.save()
        return image

    def publish(number, lead, inline):
        story = ArticlePage(
            title=f"A story published now, number {number}",
            standfirst="Published a moment ago.",
            lead_image=lead,
            body=[
                {"type": "paragraph", "value": "<p>The first paragraph.</p>"},
                {"type": "image", "value": {"image": inline.pk, "caption": "", "credit": ""}},
                {"type": "paragraph", "value": "<p>The second paragraph.</p>"},
            ],
            live=False,
        )
        story.bylines = [ArticleByline(contributor=reporter)]
        section.add_child(instance=story)
        story.save_revision().publish()
        return story

    def first_view(url, pictures):
        """(CPU s, wall s, renditions of the story's pictures made, of any picture made)."""
        theirs = NewsRendition.objects.filter(image__in=pictures)
        before = theirs.count(), NewsRendition.objects.count()
        response, cpu, wall = timed(client.get, url)
        assert response.status_code == 200, (url, response.status_code)
        return cpu, wall, theirs.count() - before[0], NewsRendition.objects.count() - before[1]

    rows = []
    number = 0
    for _ in range(options.rounds):
        for warmed in (False, True):
            number += 2
            lead, inline = new_picture(number), new_picture(number + 1)
            task_cpu = 0.0
            if warmed:
                _, task_cpu, _ = timed(make_renditions.call, [lead.pk, inline.pk])
            story = publish(number, lead, inline)
            views = [
                first_view(url, [lead, inline]) for url in (story.url, HomePage.objects.get().url)
            ]
            rows.append((warmed, task_cpu, views))
            print(
                f"{'made by the task' if warmed else 'made at the view':18} "
                + "; ".join(
                    f"{page} {cpu:5.2f} s CPU {wall:5.2f} s wall, made {its} of its pictures "
                    f"and {every - its} of others"
                    for page, (cpu, wall, its, every) in zip(
                        ("story", "front page"), views, strict=True
                    )
                )
                + f"; task {task_cpu:5.2f} s CPU",
                flush=True,
            )

    print(
        "\n| renditions | story's first view: CPU s | wall s | made (its pictures / others) "
        "| front page's next view: CPU s | wall s | made | worker's task: CPU s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for warmed in (False, True):
        mine = [(task, views) for was, task, views in rows if was == warmed]
        cells = []
        for page in (0, 1):
            cpu, wall, its, every = (mean(views[page][n] for _, views in mine) for n in range(4))
            cells.append(f"{cpu:.2f} | {wall:.2f} | {its:.0f} / {every - its:.0f}")
        print(
            f"| {'made by the task' if warmed else 'made at the view'} | "
            + " | ".join(cells)
            + f" | {mean(task for task, _ in mine):.2f} |"
        )
    print(f"\nmean of {options.rounds} rounds; load: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
