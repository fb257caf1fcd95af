from newsdesk.core.sanitise import sanitise_rich_text


def test_allowed_markup_survives():
    html = '<p>A <b>bold</b>, <i>italic</i> <a href="https://example.org/a">link</a> and <a href="/city/">one here</a>.</p>'
    assert sanitise_rich_text(html) == html.replace('">link', '" rel="noopener">link').replace(
        '">one here', '" rel="noopener">one here'
    )


def test_scripts_handlers_and_dangerous_urls_are_removed():
    cleaned = sanitise_rich_text(
        '<p onclick="x()">hi<script>alert(1)</script><style>p{}</style>'
        '<a href="javascript:alert(1)">a</a><a href="data:text/html,x">b</a>'
        '<svg onload="x()"></svg><img src="x" onerror="y()"></p>'
    )
    assert cleaned == '<p>hi<a rel="noopener">a</a><a rel="noopener">b</a></p>'
