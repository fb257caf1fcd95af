"""Which export a file is, from its content, and its reader.

Ghost: JSON whose object has "db" or "meta" and "data". WordPress: XML in the
WXR namespace. Substack: a zip holding posts.csv. The WordPress and Substack
readers are imported only when such a file comes.
"""

import re
import zipfile
from pathlib import Path

import ijson

from newsdesk.content_import.sources import Export, UnreadableExport

EXPECTED = (
    "expected a Ghost JSON export (Settings → Advanced → Import/Export), a WordPress WXR "
    "export (Tools → Export, an .xml file) or a Substack export (a .zip holding posts.csv)"
)
WXR_NAMESPACE = re.compile(rb"xmlns:wp=[\"']http://wordpress\.org/export/")
HEAD_BYTES = 64 * 1024


def _json_object_keys(path):
    """The first keys of a JSON object, read without loading the file."""
    keys = []
    with open(path, "rb") as stream:
        try:
            for prefix, event, value in ijson.parse(stream):
                if prefix == "" and event == "map_key":
                    keys.append(value)
                    if value in ("db", "data"):
                        break
                elif prefix == "" and event not in ("start_map", "map_key"):
                    break
                if len(keys) > 50:
                    break
        except ijson.JSONError:
            return None
    return keys


def recognise(path: str | Path) -> str:
    """ "ghost", "wordpress" or "substack"; raises UnreadableExport for anything else."""
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                if any(Path(name).name == "posts.csv" for name in archive.namelist()):
                    return "substack"
            raise UnreadableExport(f"This zip file holds no posts.csv: {EXPECTED}.")
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
    except (OSError, zipfile.BadZipFile) as error:
        raise UnreadableExport(f"The file cannot be read ({error}).") from error
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        if WXR_NAMESPACE.search(head):
            return "wordpress"
        raise UnreadableExport(f"This XML file is not a WordPress export: {EXPECTED}.")
    if text.startswith(b"{"):
        keys = _json_object_keys(path)
        if keys is None:
            raise UnreadableExport(f"This file is not valid JSON: {EXPECTED}.")
        if "db" in keys or "data" in keys:
            return "ghost"
        raise UnreadableExport(f"This JSON file is not a Ghost export: {EXPECTED}.")
    raise UnreadableExport(f"This file is not an export newsdesk recognises: {EXPECTED}.")


def read(path: str | Path, site_url: str = "") -> Export:
    """The file's Export, read by the reader of its format."""
    kind = recognise(path)
    if kind == "ghost":
        from newsdesk.content_import import ghost

        return ghost.read(path, site_url=site_url)
    if kind == "wordpress":
        from newsdesk.content_import import wordpress

        return wordpress.read(path)
    from newsdesk.content_import import substack

    return substack.read(path)
