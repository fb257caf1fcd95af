"""Backups of a whole newsroom, and restoring them (`newsdesk backup`, `newsdesk restore`).

A backup is a directory (or the same directory in one .tar file):

    manifest.json        what is in it, with every file's sha256 and size (below)
    database.sqlite3     embedded profile: a copy made by SQLite's online backup API
    database.pgdump      production profile: `pg_dump --format=custom`
    secret_key           embedded profile: the data folder's generated key, which signs
                         the unsubscribe and preferences links already in readers' mail
    media/...            every file of STORAGES["default"] (pictures, documents)
    private/...          every file of STORAGES["private"] (narration audio, captions)

Files are read and written back through Django's storages, never by walking the disk,
so media on object storage are backed up and restored the same way as on a disk.
The manifest also records the newsdesk version, the migrations applied per app and the
rows of every table, all read from the same snapshot as the database copy.
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.backends.utils import CursorWrapper
from django.db.migrations.loader import MigrationLoader
from storages.backends.s3 import S3Storage

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Static files are rebuilt by `collectstatic` from the code; everything else is data.
NOT_BACKED_UP = {"staticfiles"}
TABLE_NAME = re.compile(r"[A-Za-z0-9_]+")
# Counting reads the copy made by SQLite's backup API directly, or the live database.
Cursor = sqlite3.Cursor | CursorWrapper


def storage_aliases() -> list[str]:
    return [alias for alias in settings.STORAGES if alias not in NOT_BACKED_UP]


def storage_folder(alias: str) -> str:
    return "media" if alias == "default" else alias


def walk(storage: Storage, path: str = "", skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every file's name in a storage, through the storage's own listing (a disk or a bucket),
    but for the folders in skip."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}{name}"
    for directory in sorted(directories):
        if f"{path}{directory}/" not in skip:
            yield from walk(storage, f"{path}{directory}/", skip)


def _place(storage: Storage) -> tuple[tuple[str, ...], PurePosixPath] | None:
    """Where a storage keeps its files: the bucket or the disk, and the folder in it."""
    if isinstance(storage, S3Storage):
        return (storage.endpoint_url or "", storage.bucket_name), PurePosixPath(
            "/", storage.location
        )
    if isinstance(storage, FileSystemStorage):
        return ("disk",), PurePosixPath(Path(storage.location).resolve())
    return None


def stored_files(alias: str) -> Iterator[str]:
    """Every file of a storage but those of another storage inside it: in one bucket, the
    private storage is the default one's `private/` folder, and its files must be backed up
    (and restored) once, under the private storage, never under public names."""
    own = _place(storages[alias])
    inside = set()
    for other in storage_aliases():
        place = _place(storages[other])
        if (
            own
            and place
            and place[0] == own[0]
            and place[1] != own[1]
            and place[1].is_relative_to(own[1])
        ):
            inside.add(f"{place[1].relative_to(own[1]).as_posix()}/")
    return walk(storages[alias], skip=frozenset(inside))


def copy_hashed(source: IO[bytes], target: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_hash(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def model_tables() -> list[str]:
    """The table of every model of every installed app, found generically (core knows no app)."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def newsdesk_tables() -> set[str]:
    return {
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("newsdesk.")
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def count_rows(cursor: Cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor: Cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def postgres_env() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump and pg_restore; the password goes in the environment only."""
    db = settings.DATABASES["default"]
    options = [
        f"--{flag}={db[key]}"
        for flag, key in (("host", "HOST"), ("port", "PORT"), ("username", "USER"))
        if db.get(key)
    ]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return [*options, f"--dbname={db['NAME']}"], env


def run_tool(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise CommandError(
            f"{command[0]} is needed on the production profile; it is not installed."
        ) from None
    if result.returncode:
        raise CommandError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def dump_database(folder: Path) -> tuple[str, dict[str, list[str]], dict[str, int]]:
    """Copies the database into the folder; returns its file's name, migrations and row counts.

    The migrations and counts are read from the same snapshot as the copy, so they
    describe it exactly however much the site writes meanwhile.
    """
    tables = model_tables()
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        # SQLite's online backup API copies a consistent snapshot while the site keeps
        # reading and writing (it starts again if a write lands mid-copy).
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=20)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy, pages=4096)
            existing = {
                name
                for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            cursor = copy.cursor()
            migrations = applied_migrations(cursor)
            counts = count_rows(cursor, [t for t in tables if t in existing])
        finally:
            copy.close()
            source.close()
        return target.name, migrations, counts
    target = folder / "database.pgdump"
    options, env = postgres_env()
    # pg_dump reads the snapshot this transaction exports, so the dump, the migrations and
    # the counts read here are one and the same state of the database.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        migrations = applied_migrations(cursor)
        existing = set(connection.introspection.table_names(cursor))
        counts = count_rows(cursor, [t for t in tables if t in existing])
        run_tool(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                *options,
            ],
            env,
        )
    return target.name, migrations, counts


def take_backup(dest: Path, log: Callable[[str], None] = lambda line: None) -> dict:
    """Writes a backup to dest (a new directory, or a .tar file); returns its manifest."""
    if dest.exists():
        raise CommandError(f"{dest} already exists; a backup goes to a new directory or .tar file.")
    as_tar = dest.suffix == ".tar"
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Written beside its destination and renamed at the end: a backup that stopped
    # halfway is never found under the name of a complete one.
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    partial = work.with_name(work.name + ".tar")
    try:
        manifest = _write_backup(work, log)
        if as_tar:
            with tarfile.open(partial, "w") as tar:
                for path in sorted(work.rglob("*")):
                    tar.add(path, arcname=path.relative_to(work).as_posix(), recursive=False)
            os.chmod(partial, 0o600)
            partial.rename(dest)
        else:
            work.rename(dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        partial.unlink(missing_ok=True)
    return manifest


def _write_backup(folder: Path, log: Callable[[str], None]) -> dict:
    # Readers' addresses and consent records are in it: readable by this account alone.
    os.chmod(folder, 0o700)
    created = datetime.now(UTC).isoformat()
    database_file, migrations, counts = dump_database(folder)
    os.chmod(folder / database_file, 0o600)
    sha256, size = file_hash(folder / database_file)
    log(f"Database: {sum(counts.values())} rows in {len(counts)} tables ({size} bytes).")
    manifest = {
        "format": FORMAT,
        "newsdesk_version": version("newsdesk"),
        "profile": settings.PROFILE,
        "created": created,
        "database": {
            "path": database_file,
            "vendor": connection.vendor,
            "sha256": sha256,
            "size": size,
        },
        "migrations": migrations,
        "rows": counts,
        "files": [],
    }
    key_file = settings.DATA_DIR / "secret_key"
    if settings.PROFILE == "embedded" and key_file.exists():
        shutil.copyfile(key_file, folder / "secret_key")
        os.chmod(folder / "secret_key", 0o600)
        sha256, size = file_hash(folder / "secret_key")
        manifest["secret_key"] = {"path": "secret_key", "sha256": sha256, "size": size}
    # Media are copied after the database snapshot was taken: a file is only ever added
    # before the row that names it is committed, so every file the copied database
    # names is already in storage now. Files added since are copied too and are
    # harmless (no row names them); a file deleted since the snapshot would be missing,
    # which Wagtail tolerates for renditions and shows as a missing file otherwise.
    for alias in storage_aliases():
        storage = storages[alias]
        count = 0
        for name in stored_files(alias):
            relative = f"{storage_folder(alias)}/{name}"
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with storage.open(name, "rb") as source, open(target, "wb") as copy:
                    sha256, size = copy_hashed(source, copy)
            except FileNotFoundError:
                continue  # deleted while the backup ran: no row of the snapshot names it.
            manifest["files"].append(
                {"storage": alias, "name": name, "path": relative, "sha256": sha256, "size": size}
            )
            count += 1
        log(f"Storage {alias!r}: {count} files.")
    with open(folder / MANIFEST, "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    os.chmod(folder / MANIFEST, 0o600)
    return manifest


@contextlib.contextmanager
def opened(src: Path) -> Iterator[Path]:
    """The backup's directory: src itself, or a .tar file unpacked into a temporary one."""
    if src.is_dir():
        yield src
        return
    if not src.is_file():
        raise CommandError(f"{src} is neither a backup directory nor a .tar file.")
    with tempfile.TemporaryDirectory(prefix="newsdesk-restore-") as folder:
        try:
            with tarfile.open(src) as tar:
                tar.extractall(folder, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise CommandError(f"{src} is not a readable .tar backup: {error}") from error
        yield Path(folder)


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise CommandError(f"{folder} has no {MANIFEST}: it is not a newsdesk backup.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CommandError(f"{folder / MANIFEST} is not valid JSON: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(
            f"{folder / MANIFEST} is not a newsdesk backup manifest of format {FORMAT}."
        )
    return manifest


def _inside(folder: Path, relative: str) -> Path:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise CommandError(f"The manifest names a file outside its place: {relative!r}.")
    return folder / path


def verify(folder: Path) -> dict:
    """The manifest, once every file it lists has its size and checksum; else a CommandError."""
    manifest = read_manifest(folder)
    try:
        return _verified(folder, manifest)
    except (KeyError, TypeError, AttributeError) as error:
        raise CommandError(
            f"{folder / MANIFEST} lacks what a backup manifest holds ({error})."
        ) from error


def _verified(folder: Path, manifest: dict) -> dict:
    if manifest["profile"] != settings.PROFILE:
        raise CommandError(
            f"This backup is of the {manifest['profile']} profile and this newsdesk runs the "
            f"{settings.PROFILE} profile; restore it into a newsdesk of the same profile."
        )
    # Table names go into the counting queries: only plain names.
    if not all(TABLE_NAME.fullmatch(table) for table in manifest["rows"]) or not all(
        isinstance(count, int) for count in manifest["rows"].values()
    ):
        raise CommandError(f"{folder / MANIFEST} has a table name or row count that is not one.")
    aliases = storage_aliases()
    for entry in manifest["files"]:
        if entry["storage"] not in aliases:
            raise CommandError(
                f"The backup has files of the storage {entry['storage']!r}, which is not in "
                f"STORAGES here ({', '.join(aliases)})."
            )
    entries = [manifest["database"], *manifest["files"]]
    if "secret_key" in manifest:
        entries.append(manifest["secret_key"])
    for entry in entries:
        path = _inside(folder, entry["path"])
        if "name" in entry:
            _inside(folder, entry["name"])
        if not path.is_file():
            raise CommandError(f"{entry['path']} is missing from the backup; nothing was restored.")
        if file_hash(path) != (entry["sha256"], entry["size"]):
            raise CommandError(
                f"{entry['path']} does not match its checksum in the manifest (the backup is "
                "damaged); nothing was restored."
            )
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise CommandError(
            "This backup was made by a newer newsdesk (migrations unknown here: "
            f"{', '.join(unknown[:5])}); upgrade newsdesk before restoring it."
        )
    return manifest


def _unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    return [
        f"{app}.{name}"
        for app, names in sorted(migrations.items())
        if app in installed
        for name in names
        if (app, name) not in known
    ]


def what_is_there() -> list[str]:
    """What the target already holds: newsdesk's tables with rows, storages with files."""
    found = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        counts = count_rows(cursor, sorted(newsdesk_tables() & existing))
    found += [f"{table} ({count} rows)" for table, count in counts.items() if count]
    for alias in storage_aliases():
        if next(stored_files(alias), None) is not None:
            found.append(f"files in the {alias!r} storage")
    return found


def restore(src: Path, force: bool, log: Callable[[str], None]) -> dict:
    """Restores a backup into this newsdesk's database and storages, then migrates it forward."""
    with opened(src) as folder:
        manifest = verify(folder)
        log(
            f"Backup of newsdesk {manifest['newsdesk_version']} ({manifest['profile']} profile), "
            f"made {manifest['created']}: "
            f"checksums of {len(manifest['files']) + 1 + ('secret_key' in manifest)} files match."
        )
        present = what_is_there()
        if present and not force:
            raise CommandError(
                "This newsdesk is not empty: "
                + ", ".join(present[:8])
                + (", ..." if len(present) > 8 else "")
                + ". Restore into an empty one, or pass --force to replace it."
            )
        _load_database(folder / manifest["database"]["path"])
        with connection.cursor() as cursor:
            restored = count_rows(cursor, list(manifest["rows"]))
        different = {t: (n, restored[t]) for t, n in manifest["rows"].items() if restored[t] != n}
        if different:
            raise CommandError(
                f"Rows restored differ from the manifest's (table: manifest, restored): {different}"
            )
        for table, count in manifest["rows"].items():
            if count:
                log(f"  {table}: {count} rows")
        log(
            f"Database: {sum(restored.values())} rows in {len(restored)} tables, as in the manifest."
        )
        if "secret_key" in manifest:
            _replace_file(folder / "secret_key", settings.DATA_DIR / "secret_key")
            log("Secret key of the data folder restored.")
        for alias in storage_aliases():
            entries = [e for e in manifest["files"] if e["storage"] == alias]
            for entry in entries:
                _restore_file(storages[alias], entry, folder / entry["path"])
            log(f"Storage {alias!r}: {len(entries)} files restored.")
    call_command("migrate", interactive=False, verbosity=0)
    log("Migrated to this newsdesk's version.")
    return manifest


def _load_database(path: Path) -> None:
    connections.close_all()
    if connection.vendor == "sqlite":
        # Through SQLite itself, page by page, so the -wal file of the database it
        # replaces can never be replayed over the restored one.
        source = sqlite3.connect(path)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=20)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            cursor.execute("DROP TABLE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
    connections.close_all()
    options, env = postgres_env()
    run_tool(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *options,
            str(path),
        ],
        env,
    )


def _replace_file(source: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    with (
        open(source, "rb") as f,
        os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out,
    ):
        shutil.copyfileobj(f, out)
    os.replace(partial, target)


def _restore_file(storage: Storage, entry: dict, path: Path) -> None:
    name = entry["name"]
    if storage.exists(name):
        storage.delete(name)
    with open(path, "rb") as f:
        saved = storage.save(name, File(f, name=name))
    if saved != name:
        raise CommandError(f"The {entry['storage']!r} storage kept {name} as {saved}.")
