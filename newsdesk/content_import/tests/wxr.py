"""A small WordPress export, written as WordPress 6 writes one (Tools → Export)."""

from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
    xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:wfw="http://wellformedweb.org/CommentAPI/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
    <title>The Riverside Ledger</title>
    <link>https://ledger.example</link>
    <description>News from the river towns</description>
    <language>en-GB</language>
    <wp:wxr_version>{version}</wp:wxr_version>
    <wp:base_site_url>https://ledger.example</wp:base_site_url>
    <wp:base_blog_url>https://ledger.example</wp:base_blog_url>
    <wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[mara]]></wp:author_login><wp:author_email><![CDATA[mara@ledger.example]]></wp:author_email><wp:author_display_name><![CDATA[Mara Okafor]]></wp:author_display_name><wp:author_first_name><![CDATA[Mara]]></wp:author_first_name><wp:author_last_name><![CDATA[Okafor]]></wp:author_last_name></wp:author>
    <wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[desk]]></wp:author_login><wp:author_email><![CDATA[desk@ledger.example]]></wp:author_email><wp:author_display_name><![CDATA[News Desk]]></wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>
    <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[city]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[City]]></wp:cat_name></wp:category>
    <generator>https://wordpress.org/?v=6.4.2</generator>
"""

TAIL = """</channel>
</rss>
"""


def item(
    post_id,
    title,
    content,
    *,
    post_type="post",
    status="publish",
    slug=None,
    link=None,
    date="2013-01-11 10:30:00",
    date_gmt="2013-01-11 09:30:00",
    creator="mara",
    excerpt="",
    parent="0",
    password="",
    categories=(),
    meta=(),
    attachment_url="",
    menu_order="0",
):
    slug = slug if slug is not None else title.lower().replace(" ", "-")
    link = link or f"https://ledger.example/?p={post_id}"
    cats = "".join(
        f'<category domain="{domain}" nicename="{nicename}"><![CDATA[{name}]]></category>\n'
        for domain, nicename, name in categories
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>\n"
        for key, value in meta
    )
    attachment = (
        f"<wp:attachment_url><![CDATA[{attachment_url}]]></wp:attachment_url>"
        if attachment_url
        else ""
    )
    return f"""
    <item>
        <title><![CDATA[{title}]]></title>
        <link>{link}</link>
        <pubDate>Fri, 11 Jan 2013 09:30:00 +0000</pubDate>
        <dc:creator><![CDATA[{creator}]]></dc:creator>
        <guid isPermaLink="false">https://ledger.example/?p={post_id}</guid>
        <description></description>
        <content:encoded><![CDATA[{content}]]></content:encoded>
        <excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
        <wp:post_id>{post_id}</wp:post_id>
        <wp:post_date><![CDATA[{date}]]></wp:post_date>
        <wp:post_date_gmt><![CDATA[{date_gmt}]]></wp:post_date_gmt>
        <wp:post_modified><![CDATA[2013-01-12 08:00:00]]></wp:post_modified>
        <wp:post_modified_gmt><![CDATA[2013-01-12 07:00:00]]></wp:post_modified_gmt>
        <wp:comment_status><![CDATA[open]]></wp:comment_status>
        <wp:ping_status><![CDATA[open]]></wp:ping_status>
        <wp:post_name><![CDATA[{slug}]]></wp:post_name>
        <wp:status><![CDATA[{status}]]></wp:status>
        <wp:post_parent>{parent}</wp:post_parent>
        <wp:menu_order>{menu_order}</wp:menu_order>
        <wp:post_type><![CDATA[{post_type}]]></wp:post_type>
        <wp:post_password><![CDATA[{password}]]></wp:post_password>
        <wp:is_sticky>0</wp:is_sticky>
        {attachment}
        {cats}{metas}
    </item>"""


GUTENBERG = """<!-- wp:paragraph -->
<p>The council voted <strong>7 to 2</strong> on Tuesday.</p>
<!-- /wp:paragraph -->

<!-- wp:paragraph -->
<p>It follows <a href="https://ledger.example/2013/01/12/night-of-the-flood/">the night of the flood</a>.</p>
<!-- /wp:paragraph -->

<!-- wp:heading {"level":3} -->
<h3 class="wp-block-heading">What happens next</h3>
<!-- /wp:heading -->

<!-- wp:image {"id":40,"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="https://ledger.example/wp-content/uploads/2013/01/bridge-1024x683.jpg" alt="The old bridge at dawn" class="wp-image-40"/><figcaption class="wp-element-caption">The bridge, closed since March.</figcaption></figure>
<!-- /wp:image -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>We will not wait another <em>decade</em>.</p>
<!-- /wp:paragraph --><cite>Ana Ruiz, mayor</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:pullquote -->
<figure class="wp-block-pullquote"><blockquote><p>The bridge is the town.</p><cite>A resident</cite></blockquote></figure>
<!-- /wp:pullquote -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube","responsive":true} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div></figure>
<!-- /wp:embed -->

<!-- wp:list -->
<ul><!-- wp:list-item -->
<li>Repairs start in May<!-- wp:list -->
<ul><!-- wp:list-item -->
<li>the east span first</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list --></li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Ferries run until then</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:block {"ref":50} /-->

<!-- wp:video {"id":42} -->
<figure class="wp-block-video"><video controls src="https://ledger.example/wp-content/uploads/2013/01/crossing.mp4"></video></figure>
<!-- /wp:video -->

<!-- wp:html -->
<p onclick="steal()">Read the council's papers.</p><script>alert("imported")</script>
<!-- /wp:html -->

<!-- wp:latest-posts /-->"""

CLASSIC = """The flood came at night.
Nobody in Lower Street slept.

[caption id="attachment_41" align="aligncenter" width="640"]<a href="https://ledger.example/wp-content/uploads/2013/01/flood.jpg"><img class="size-large wp-image-41" src="https://ledger.example/wp-content/uploads/2013/01/flood-640x480.jpg" alt="Water in Lower Street" width="640" height="480" /></a> Lower Street at 3am.[/caption]

https://twitter.com/ledger/status/1234567890

[embed]https://vimeo.com/76979871[/embed]

[gallery ids="41,40,99"]

<blockquote>Get out now.</blockquote>

Use [[caption]] for captions. [contact-form-7 id="12"]"""


def write_export(
    directory: Path, version: str = "1.2", site: str = "https://ledger.example"
) -> Path:
    """Posts, pages and attachments in the orders WordPress exports them, of a site at `site`."""
    items = [
        item(
            "10",
            "Council votes to rebuild the bridge",
            GUTENBERG,
            slug="council-votes-bridge",
            link="https://ledger.example/2013/01/11/council-votes-bridge/",
            excerpt="<p>A <em>7 to 2</em> vote after a decade of delay.</p>",
            categories=[
                ("category", "city", "City"),
                ("category", "transport", "Transport"),
                ("post_tag", "bridges", "Bridges"),
                ("post_tag", "council", "Council &amp; Mayor"),
            ],
            meta=[
                ("_thumbnail_id", "40"),
                ("_yoast_wpseo_title", "Bridge vote: what it means"),
                ("_yoast_wpseo_metadesc", "%%excerpt%%"),
            ],
        ),
        item(
            "11",
            "Night of the flood",
            CLASSIC,
            slug="night-of-the-flood",
            link="https://ledger.example/2013/01/12/night-of-the-flood/",
            creator="desk",
            date="2013-01-12 23:15:00",
            date_gmt="0000-00-00 00:00:00",
            categories=[("category", "uncategorized", "Uncategorized")],
            meta=[("_thumbnail_id", "77")],
        ),
        item(
            "12",
            "Members&#8217; briefing",
            "<p>For members only.</p>",
            slug="members-briefing",
            link="https://ledger.example/2013/01/13/members-briefing/",
            password="river-2013",
        ),
        item(
            "13",
            "Bridge opens",
            "<p>Coming soon.</p>",
            slug="bridge-opens",
            status="future",
            date="2030-05-01 09:00:00",
            date_gmt="2030-05-01 07:00:00",
        ),
        item("14", "Staff notes", "<p>Internal.</p>", slug="staff-notes", status="private"),
        item(
            "15",
            "A draft",
            "<p>Half written.</p>",
            slug="",
            status="draft",
            date_gmt="0000-00-00 00:00:00",
            creator="ghostwriter",
        ),
        # Pages: the child before its parent, as a re-parented page is exported.
        item(
            "21",
            "Ethics policy",
            "<p>We correct errors.</p>",
            post_type="page",
            slug="ethics",
            link="https://ledger.example/about/ethics/",
            parent="20",
        ),
        item(
            "20",
            "About us",
            "Who we are.\n\nWhere we are.",
            post_type="page",
            slug="about",
            link="https://ledger.example/about/",
        ),
        item("30", "Main menu", "", post_type="nav_menu_item", slug="30"),
        item("31", "Old revision", "<p>Old.</p>", post_type="post", status="inherit"),
        item(
            "50",
            "Support our reporting",
            "<!-- wp:paragraph -->\n<p>The Ledger is paid for by its readers.</p>\n<!-- /wp:paragraph -->",
            post_type="wp_block",
            slug="support",
        ),
        # Attachments after the posts that use them.
        item(
            "40",
            "bridge",
            "",
            post_type="attachment",
            status="inherit",
            parent="10",
            excerpt="The bridge, closed since March.",
            attachment_url="https://ledger.example/wp-content/uploads/2013/01/bridge.jpg",
            meta=[("_wp_attachment_image_alt", "The old bridge at dawn")],
        ),
        item(
            "41",
            "flood",
            "",
            post_type="attachment",
            status="inherit",
            parent="11",
            excerpt="",
            attachment_url="https://ledger.example/wp-content/uploads/2013/01/flood.jpg",
            meta=[("_wp_attachment_image_alt", "Water in Lower Street")],
        ),
    ]
    path = directory / "ledger.wordpress.2013-01-31.xml"
    text = HEAD.format(version=version) + "".join(items) + TAIL
    path.write_text(text.replace("https://ledger.example", site), encoding="utf-8")
    return path
