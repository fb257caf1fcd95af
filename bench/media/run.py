"""Media in object storage: what a page pays for its pictures' addresses, and what the app pays
to read a private file, newsdesk's path against a reference in the same run.

    .venv/bin/python bench/media/run.py [--addresses 20000] [--megabytes 5]

In a throwaway data folder, starts moto's S3 server on loopback (a real HTTP S3 server, in
this process's threads) with a bucket set up by `newsdesk media_bucket --apply`, then
  1. addresses: N picture addresses (`images/....jpg`) from newsdesk's media storage
     (core.storage.MediaStorage), from django-storages' own S3 storage with the same options
     (unsigned, querystring_auth off: boto3 builds each one), and from the local disk's
     FileSystemStorage, the embedded profile's;
  2. reading: an MP3-sized private file read whole, and its last 64 KiB (a reader seeking),
     as the narration view reads it (core.storage.open_for_streaming), through
     django-storages' own file (storage.open), and by boto3's get_object of the same bytes.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def timed(function, repeat):
    started = time.perf_counter()
    for number in range(repeat):
        function(number)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addresses", type=int, default=20000)
    parser.add_argument("--megabytes", type=int, default=5)
    arguments = parser.parse_args()

    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the server's line per request

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    folder = tempfile.mkdtemp(prefix="newsdesk-bench-media-")
    os.environ.update(
        NEWSDESK_DATA_DIR=folder,
        NEWSDESK_S3_URL=f"s3://bench:bench@{host}:{port}/media?region=eu-central-1",
        DJANGO_SETTINGS_MODULE="newsdesk.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage, storages
    from django.core.management import call_command
    from storages.backends.s3 import S3Storage

    from newsdesk.core.storage import open_for_streaming

    call_command("media_bucket", apply=True)
    newsdesk = storages["default"]
    reference = S3Storage(**settings.STORAGES["default"]["OPTIONS"])
    disk = FileSystemStorage(location=settings.MEDIA_ROOT, base_url="/media/")
    n = arguments.addresses

    def name(number):
        return f"images/river-at-dusk_{number}.2e16d0ba.fill-800x450.format-webp.webp"

    assert newsdesk.url(name(1)) == reference.url(name(1)), "the addresses must be the same"
    print(f"{n} picture addresses (a page of 20 cards with 8 sizes each has 160):")
    rows = [
        ("newsdesk (MediaStorage)", timed(lambda i: newsdesk.url(name(i)), n)),
        ("django-storages S3Storage, unsigned", timed(lambda i: reference.url(name(i)), n)),
        ("local disk (FileSystemStorage)", timed(lambda i: disk.url(name(i)), n)),
    ]
    for label, seconds in rows:
        print(
            f"  {label:40} {seconds / n * 1e6:8.1f} µs each, {seconds / n * 160e3:6.2f} ms a page"
        )

    private = storages["private"]
    payload = os.urandom(arguments.megabytes * 1024 * 1024)
    key = private.save("narration/1/bench.mp3", ContentFile(payload))
    client = private.connection.meta.client

    tail = 64 * 1024

    def reading(opener, start):
        def read(_):
            with opener() as file:
                file.seek(start)
                assert len(file.read()) == len(payload) - start

        return read

    def bare(start):
        def read(_):
            asked = client.get_object(Bucket="media", Key=f"private/{key}", Range=f"bytes={start}-")
            assert len(asked["Body"].read()) == len(payload) - start

        return read

    for what, start in (
        (f"a {arguments.megabytes} MB private file whole", 0),
        ("its last 64 KiB (a reader seeking)", len(payload) - tail),
    ):
        print(f"reading {what}, 10 times:")
        for label, function in (
            (
                "newsdesk (open_for_streaming)",
                reading(lambda: open_for_streaming(private, key), start),
            ),
            ("django-storages (storage.open)", reading(lambda: private.open(key, "rb"), start)),
            ("boto3 get_object", bare(start)),
        ):
            seconds = timed(function, 10)
            print(f"  {label:40} {seconds / 10 * 1e3:8.1f} ms each")
    server.stop()


if __name__ == "__main__":
    main()
