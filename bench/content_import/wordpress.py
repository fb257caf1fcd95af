"""Reading a WordPress export: newsdesk's streamed reader against parsing the whole file, same file, same run.

    .venv/bin/python bench/content_import/wordpress.py [--posts 20000] [--small 2000]

Writes synthetic WXR 1.2 exports of --small and --posts posts (block-editor
bodies: paragraphs with links, a heading, a picture, a quote, a list; every
post's featured picture an attachment written after all the posts, as a
re-exported site has them), then, each in its own process:
  1. newsdesk: `wordpress.read(path)` and every item taken, bodies converted
     to the HTML blocks.py reads;
  2. the reference: the whole file parsed into one tree (ElementTree.parse, as
     a reader that does not stream would) and every item's content read,
     nothing converted.
It prints seconds, posts per second and peak memory (ru_maxrss), and compares
the two newsdesk peaks: memory must not grow with the file.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from newsdesk.content_import.tests.wxr import HEAD, TAIL, item  # noqa: E402

BODY = """<!-- wp:paragraph -->
<p>The council met on <strong>Tuesday</strong> about the <a href="https://ledger.example/?p={prev}">bridge</a>, the budget and the trams.</p>
<!-- /wp:paragraph -->

<!-- wp:heading {{"level":3}} -->
<h3>What the residents said</h3>
<!-- /wp:heading -->

<!-- wp:image {{"id":{picture}}} -->
<figure class="wp-block-image"><img src="https://ledger.example/wp-content/uploads/p{picture}.jpg" alt="A picture"/><figcaption>The river at night.</figcaption></figure>
<!-- /wp:image -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><p>We waited ten years.</p><cite>A resident</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:list -->
<ul><li>Repairs in May</li><li>Ferries until then</li></ul>
<!-- /wp:list -->
""" + "\n".join(
    "<!-- wp:paragraph -->\n<p>"
    + "Residents of the river district asked about heating. " * 8
    + "</p>\n<!-- /wp:paragraph -->"
    for _ in range(5)
)

NEWSDESK = """
import resource, sys, time
from newsdesk.content_import import wordpress
start = time.perf_counter()
export = wordpress.read(sys.argv[1])
count = sum(len(i.html) > 0 for i in export.items)
print(count, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

REFERENCE = """
import resource, sys, time
from xml.etree import ElementTree
start = time.perf_counter()
tree = ElementTree.parse(sys.argv[1])
content = "{http://purl.org/rss/1.0/modules/content/}encoded"
post_type = "{http://wordpress.org/export/1.2/}post_type"
count = sum(
    len(i.findtext(content) or "") > 0
    for i in tree.getroot().iter("item")
    if i.findtext(post_type) == "post"
)
print(count, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write(path: Path, posts: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD.format(version="1.2"))
        for n in range(posts):
            picture = 1_000_000 + n
            out.write(
                item(
                    str(n + 1),
                    f"Story {n}",
                    BODY.format(prev=max(n, 1), picture=picture),
                    slug=f"story-{n}",
                    categories=[("category", "city", "City"), ("post_tag", "bridges", "Bridges")],
                    meta=[("_thumbnail_id", str(picture))],
                )
            )
        for n in range(posts):
            picture = 1_000_000 + n
            out.write(
                item(
                    str(picture),
                    f"p{picture}",
                    "",
                    post_type="attachment",
                    status="inherit",
                    parent=str(n + 1),
                    attachment_url=f"https://ledger.example/wp-content/uploads/p{picture}.jpg",
                    meta=[("_wp_attachment_image_alt", "A picture")],
                )
            )
        out.write(TAIL)


def measure(code: str, path: Path) -> tuple[int, float, int]:
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    count, seconds, peak_kib = result.stdout.split()
    return int(count), float(seconds), int(peak_kib)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--small", type=int, default=2000)
    args = parser.parse_args()
    peaks = {}
    with tempfile.TemporaryDirectory() as folder:
        for posts in (args.small, args.posts):
            path = Path(folder) / f"wxr-{posts}.xml"
            write(path, posts)
            size = path.stat().st_size / 2**20
            print(f"{posts} posts, {size:.0f} MB of WXR")
            for name, code in (
                ("newsdesk (streamed, converted)", NEWSDESK),
                ("reference (whole tree)", REFERENCE),
            ):
                count, seconds, peak = measure(code, path)
                assert count == posts, (name, count)
                print(
                    f"  {name:32} {seconds:7.1f} s {posts / seconds:9.0f} posts/s {peak / 1024:7.0f} MB peak"
                )
                peaks[(name, posts)] = peak
    small = peaks[("newsdesk (streamed, converted)", args.small)]
    large = peaks[("newsdesk (streamed, converted)", args.posts)]
    print(
        f"newsdesk's peak memory: {large / small:.2f}× for {args.posts / args.small:.0f}× the posts"
    )


if __name__ == "__main__":
    main()
