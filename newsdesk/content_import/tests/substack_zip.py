"""A small Substack export zip, laid out as Substack's Settings → Exports makes it."""

import csv
import io
import zipfile
from pathlib import Path

COLUMNS = [
    "post_id",
    "post_date",
    "is_published",
    "email_sent_at",
    "inbox_sent_at",
    "type",
    "audience",
    "title",
    "subtitle",
    "podcast_url",
]

ROWS = [
    [
        "101.the-ferry-timetable",
        "2024-03-04T14:00:00.000Z",
        "true",
        "2024-03-04T14:00:05.000Z",
        "2024-03-04T14:00:05.000Z",
        "newsletter",
        "everyone",
        "The ferry timetable",
        "What changes on Monday",
        "",
    ],
    [
        "102.inside-the-council",
        "2024-03-11T08:30:00.000Z",
        "true",
        "",
        "",
        "newsletter",
        "only_paid",
        "Inside the council",
        "",
        "",
    ],
    [
        "103.founders-letter",
        "2024-03-12T08:30:00.000Z",
        "true",
        "",
        "",
        "newsletter",
        "founding",
        "A letter to founders",
        "",
        "",
    ],
    [
        "104.river-walk",
        "2024-03-18T06:00:00.000Z",
        "true",
        "",
        "",
        "podcast",
        "only_free",
        "River walk",
        "An audio tour",
        "https://api.substack.com/feed/podcast/104.mp3",
    ],
    ["105.", "", "false", "", "", "newsletter", "everyone", "Notes for next week", "", ""],
]

FERRY = """<p>The ferry runs <em>hourly</em> from Monday.</p>
<div class="captioned-image-container"><figure><a class="image-link image2 is-viewable-img" target="_blank" href="https://substackcdn.com/image/fetch/f_auto,q_auto:good/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2Fferry.jpeg" data-component-name="Image2ToDOM"><div class="image2-inset"><picture><source type="image/webp" srcset="https://substackcdn.com/image/fetch/w_424,c_limit,f_webp/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2Fferry.jpeg 424w"><img src="https://substackcdn.com/image/fetch/w_1456,c_limit,f_auto,q_auto:good/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2Fferry.jpeg" width="1456" height="971" data-attrs="{&quot;src&quot;:&quot;https://substack-post-media.s3.amazonaws.com/public/images/ferry.jpeg&quot;,&quot;height&quot;:971,&quot;width&quot;:1456,&quot;alt&quot;:&quot;The ferry at the quay&quot;,&quot;title&quot;:null}" alt="The ferry at the quay" class="sizing-normal"></picture></div></a><figcaption class="image-caption">The morning ferry. Photo: Lina Berg</figcaption></figure></div>
<div class="subscription-widget-wrap-editor" data-attrs="{&quot;url&quot;:&quot;https://riverside.substack.com/subscribe?&quot;,&quot;text&quot;:&quot;Subscribe&quot;}" data-component-name="SubscribeWidgetToDOM"><div class="subscription-widget show-subscribe"><div class="preamble"><p class="cta-caption">Thanks for reading! Subscribe for free.</p></div><form class="subscription-widget-subscribe"><input type="email" class="email-input" name="email" placeholder="Type your email…" tabindex="-1"><input type="submit" class="button primary" value="Subscribe"></form></div></div>
<div class="pullquote"><p>Hourly, at last.</p></div>
<div id="youtube2-dQw4w9WgXcQ" class="youtube-wrap" data-attrs="{&quot;videoId&quot;:&quot;dQw4w9WgXcQ&quot;,&quot;startTime&quot;:null,&quot;endTime&quot;:null}" data-component-name="Youtube2ToDOM"><div class="youtube-inner"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&amp;autoplay=0&amp;showinfo=0&amp;enablejsapi=0" frameborder="0" loading="lazy" gesture="media" allow="autoplay; fullscreen" allowautoplay="true" allowfullscreen="true" width="728" height="409"></iframe></div></div>
<div class="tweet" data-attrs="{&quot;url&quot;:&quot;https://twitter.com/riverside/status/1765000000000000000&quot;,&quot;full_text&quot;:&quot;New timetable!&quot;,&quot;username&quot;:&quot;riverside&quot;}" data-component-name="Twitter2ToDOM"><a class="tweet-link-top" href="https://twitter.com/riverside/status/1765000000000000000" target="_blank"><div class="tweet-header">riverside</div></a><div class="tweet-text">New timetable!</div></div>
<p>Earlier: <a href="https://riverside.substack.com/p/inside-the-council">inside the council</a>.</p>
<p class="button-wrapper" data-attrs="{&quot;url&quot;:&quot;https://riverside.substack.com/p/the-ferry-timetable?utm_source=substack&amp;utm_medium=email&amp;utm_content=share&amp;action=share&quot;,&quot;text&quot;:&quot;Share&quot;}" data-component-name="ButtonCreateButton"><a class="button primary" href="https://riverside.substack.com/p/the-ferry-timetable?utm_source=substack&amp;utm_medium=email&amp;utm_content=share&amp;action=share"><span>Share</span></a></p>
<p class="button-wrapper" data-attrs="{&quot;url&quot;:&quot;https://riverside.example/timetable.pdf&quot;,&quot;text&quot;:&quot;The full timetable&quot;}" data-component-name="ButtonCreateButton"><a class="button primary" href="https://riverside.example/timetable.pdf"><span>The full timetable</span></a></p>
<p class="button-wrapper" data-attrs="{&quot;url&quot;:&quot;https://riverside.substack.com/subscribe?&quot;,&quot;text&quot;:&quot;Subscribe now&quot;}" data-component-name="ButtonCreateButton"><a class="button primary" href="https://riverside.substack.com/subscribe?"><span>Subscribe now</span></a></p>"""

BODIES = {
    "101.the-ferry-timetable": FERRY,
    "102.inside-the-council": "<p>Paid readers only.</p>"
    '<div class="paywall-jump" data-component-name="PaywallToDOM"></div><p>The rest.</p>',
    "103.founders-letter": "<p>Thank you.</p>",
    "104.river-walk": "<p>Put on your boots.</p>",
    "105.": "<p>Ideas.</p>",
}


def write_zip(
    directory: Path,
    rows=ROWS,
    bodies=BODIES,
    site="https://riverside.substack.com",
    media="https://substack-post-media.s3.amazonaws.com",
) -> Path:
    """The export of a publication at `site`, its pictures uploaded to `media`."""
    path = directory / "riverside-export.zip"
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("posts.csv", text.getvalue())
        archive.writestr("email_list.riverside.csv", "email,active_subscription\n")
        for post_id, html in bodies.items():
            html = html.replace("https://riverside.substack.com", site)
            archive.writestr(
                f"posts/{post_id}.html",
                html.replace("https://substack-post-media.s3.amazonaws.com", media),
            )
    return path
