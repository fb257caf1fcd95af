"""Content import speed and memory: newsdesk's real path against reading alone, same file, same run.

    .venv/bin/python bench/content_import/run.py [--posts 10000] [--small 1000] [--pictures 50]

In a throwaway data folder (SQLite, the embedded profile), writes synthetic
Ghost 5 exports of --small and --posts posts (Lexical bodies of a heading,
six paragraphs with links and emphasis, a quote and a picture; a feature
image each, from a folder of --pictures JPEGs; five authors, twelve tags),
then for each
  1. newsdesk: `newsdesk import_content FILE --images DIR` in its own
     process, as an operator runs it, Django's start included; peak memory is
     that process's (ru_maxrss);
  2. the reference: the same file read by the Ghost reader and every body
     turned into blocks (ghost.read, blocks.Converter), nothing written.
It prints seconds, stories per second, CPU seconds and peak memory, and
compares the two newsdesk peaks: memory must not grow with the file.
"""

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = [
    *("council", "budget", "river", "bridge", "school", "hospital", "tram", "election"),
    *("mayor", "district", "court", "reporter", "residents", "water", "heating", "winter"),
    *("market", "night", "shelter", "volunteers"),
]


def text(value, bits=0):
    return {"type": "text", "text": value, "format": bits, "detail": 0, "mode": "normal"}


def sentence(randomness, words=22):
    return " ".join(randomness.choice(WORDS) for _ in range(words)).capitalize() + "."


def body(n, randomness, pictures):
    paragraphs = [
        {
            "type": "paragraph",
            "children": [
                text(sentence(randomness) + " "),
                {
                    "type": "link",
                    "url": f"__GHOST_URL__/story-{max(n - 1, 0)}/",
                    "children": [text("earlier")],
                },
                text(" " + sentence(randomness), 2),
            ],
        }
        for _ in range(6)
    ]
    return json.dumps(
        {
            "root": {
                "type": "root",
                "children": [
                    paragraphs[0],
                    {"type": "heading", "tag": "h2", "children": [text(sentence(randomness, 5))]},
                    *paragraphs[1:4],
                    {
                        "type": "image",
                        "src": f"__GHOST_URL__/content/images/2024/01/p{n % pictures}.jpg",
                        "alt": "A picture",
                        "caption": "A caption / Agency",
                    },
                    {"type": "quote", "children": [text(sentence(randomness, 12))]},
                    *paragraphs[4:],
                ],
            }
        }
    )


def write_export(path, posts, pictures):
    randomness = random.Random(posts)
    users = [
        {"id": f"u{n}", "name": f"Writer {n}", "slug": f"writer-{n}", "email": f"w{n}@example.org"}
        for n in range(5)
    ]
    tags = [
        {"id": f"t{n}", "name": f"Topic {n}", "slug": f"topic-{n}", "visibility": "public"}
        for n in range(12)
    ]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"db": [{"meta": {"exported_on": 1733000000000, "version": "5.101.0"}, ')
        out.write('"data": {"posts": [')
        for n in range(posts):
            day = 1 + n % 28
            row = {
                "id": f"{n:024x}",
                "uuid": f"uuid-{n}",
                "title": sentence(randomness, 8),
                "slug": f"story-{n}",
                "lexical": body(n, randomness, pictures),
                "html": None,
                "mobiledoc": None,
                "feature_image": f"__GHOST_URL__/content/images/2024/01/p{(n + 7) % pictures}.jpg",
                "type": "post",
                "status": "published",
                "visibility": "public",
                "created_at": f"2024-01-{day:02d}T08:00:00.000Z",
                "updated_at": f"2024-01-{day:02d}T09:00:00.000Z",
                "published_at": f"2024-01-{day:02d}T08:30:00.000Z",
                "custom_excerpt": sentence(randomness, 14),
            }
            out.write(("," if n else "") + json.dumps(row))
        out.write("], ")
        relations = {
            "posts_authors": [
                {"id": f"a{n}", "post_id": f"{n:024x}", "author_id": f"u{n % 5}", "sort_order": 0}
                for n in range(posts)
            ],
            "posts_meta": [],
            "posts_tags": [
                {
                    "id": f"x{n}-{k}",
                    "post_id": f"{n:024x}",
                    "tag_id": f"t{(n + k) % 12}",
                    "sort_order": k,
                }
                for n in range(posts)
                for k in range(2)
            ],
            "tags": tags,
            "users": users,
        }
        out.write(json.dumps(relations)[1:-1])
        out.write("}}]}")


def write_pictures(folder, count):
    from PIL import Image

    (folder / "2024" / "01").mkdir(parents=True, exist_ok=True)
    for n in range(count):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 675), (n * 5 % 255, 90, 140)).save(buffer, format="JPEG")
        (folder / "2024" / "01" / f"p{n}.jpg").write_bytes(buffer.getvalue())


def reference(path):
    """Reading alone: the reader and the blocks, no database."""
    from newsdesk.content_import import ghost
    from newsdesk.content_import.blocks import Converter

    started = time.perf_counter()
    export = ghost.read(path, site_url="http://localhost:8000")
    converter = Converter(export.site_url, {}, lambda picture: 1)
    count = 0
    for item in export.items:
        converter.convert(item.html)
        count += 1
    return time.perf_counter() - started, count


def newsdesk(path, images, env):
    command = [
        str(ROOT / ".venv/bin/newsdesk"),
        "import_content",
        str(path),
        "--images",
        str(images),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"the import failed:\n{output}")
    return seconds, usage.ru_utime + usage.ru_stime, output, usage.ru_maxrss / 1024


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--pictures", type=int, default=50)
    options = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="newsdesk-bench-content-"))
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    newsdesk_command = str(ROOT / ".venv/bin/newsdesk")
    subprocess.run([newsdesk_command, "migrate", "--verbosity", "0"], env=env, check=True)
    images = data_dir / "content" / "images"
    write_pictures(images, options.pictures)
    print(f"load average (1, 5, 15 min): {load()}, on {os.cpu_count()} cores")

    results = {}
    for posts in (options.small, options.posts):
        # Each size into a database of its own: the second must not find the first's stories.
        run_dir = data_dir / f"run-{posts}"
        run_dir.mkdir()
        run_env = {**env, "NEWSDESK_DATA_DIR": str(run_dir)}
        subprocess.run([newsdesk_command, "migrate", "--verbosity", "0"], env=run_env, check=True)
        path = data_dir / f"ghost-{posts}.json"
        write_export(path, posts, options.pictures)
        seconds, cpu, output, peak = newsdesk(path, images, run_env)
        stories = next(line for line in output.splitlines() if line.startswith("Stories:"))
        results[posts] = (path, seconds, peak)
        print(
            f"{posts:>6} posts ({path.stat().st_size / 2**20:.1f} MiB), newsdesk import_content: "
            f"{seconds:7.1f} s, {posts / seconds:5.1f} stories/s, CPU {cpu:7.1f} s, "
            f"peak {peak:.0f} MiB ({stories})"
        )
    small, large = results[options.small][2], results[options.posts][2]
    print(
        f"peak memory, {options.small} → {options.posts} posts: {small:.0f} → {large:.0f} MiB "
        f"({large - small:+.0f} MiB for {options.posts / options.small:.0f} times the posts)"
    )

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    for posts in (options.small, options.posts):
        path, seconds, _ = results[posts]
        bare_seconds, count = reference(path)
        print(
            f"{posts:>6} posts, reading and blocks alone: {bare_seconds:6.1f} s, "
            f"{count / bare_seconds:6.0f} stories/s; newsdesk / reading: {seconds / bare_seconds:.1f}"
        )
    print(f"load average (1, 5, 15 min): {load()}")


if __name__ == "__main__":
    main()
