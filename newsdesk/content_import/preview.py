"""What an import will make, read from the export before anything is written (the admin's preview).

The whole file is read, as the import will read it, so a file broken halfway
is refused here rather than halfway through the import. Nothing is written and
no picture is fetched: on SQLite, the command's dry run (one transaction rolled
back) would keep every other writer of the site waiting while it ran.
"""

import re
from collections import Counter
from collections.abc import Callable

from newsdesk.articles.models import SectionPage
from newsdesk.content_import.models import ImportedItem
from newsdesk.content_import.sources import Export, Kind
from newsdesk.content_import.writer import DEFAULT_SECTION, source_name

TITLES = 10  # the first stories' titles shown
SECTIONS = 30  # section names shown, at most
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc=["']([^"']+)""", re.I)


def preview(export: Export, progress: Callable[[int], None] | None = None) -> dict:
    """Counts of what the export holds and how much of it is new here, as JSON for ContentImport.preview."""
    imported = set(
        ImportedItem.objects.filter(source_format=source_name(export)).values_list(
            "source_id", flat=True
        )
    )
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    sections: Counter[str] = Counter()
    tags: set[str] = set()
    authors: set[str] = set()
    pictures: set[str] = set()
    titles: list[str] = []
    already = warned = 0
    for read, item in enumerate(export.items, start=1):
        kinds[item.kind.value] += 1
        statuses[item.status.value] += 1
        already += item.source_id in imported
        warned += bool(item.warnings)
        authors.update(a for a in item.author_ids if a in export.authors)
        pictures.update(_IMG_SRC.findall(item.html))
        if item.feature_image:
            pictures.add(item.feature_image.url)
        if item.kind == Kind.STORY:
            sections[item.section or DEFAULT_SECTION] += 1
            tags.update(tag.lower() for tag in item.tags)
            if len(titles) < TITLES:
                titles.append(item.title)
        if progress:
            progress(read)
    existing = {title.lower() for title in SectionPage.objects.values_list("title", flat=True)}
    return {
        "format": export.format,
        "stories": kinds[Kind.STORY.value],
        "pages": kinds[Kind.PAGE.value],
        "statuses": dict(statuses),
        "already_imported": already,
        "authors": len(authors),
        "sections": [
            {"name": name, "stories": count, "new": name.lower() not in existing}
            for name, count in sections.most_common(SECTIONS)
        ],
        "section_count": len(sections),
        "tags": len(tags),
        "pictures": len(pictures),
        "with_warnings": warned,
        "titles": titles,
    }
