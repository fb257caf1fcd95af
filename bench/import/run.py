"""Subscriber import speed and memory: newsdesk's real path against bare parsing, same file, same run.

    .venv/bin/python bench/import/run.py [--rows 100000] [--small 20000]

In a throwaway data folder (SQLite, the embedded profile), writes Ghost
members exports of --small and --rows rows (distinct addresses, a name and a
sign-up time each, one in fifty unsubscribed), then for each
  1. newsdesk: `newsdesk import_subscribers SLUG FILE --confirmed
     --consent-source ...` in its own process, as an operator runs it: the
     whole command, Django's start included; peak memory is that process's;
  2. the ceiling: the same file through the csv module and the subscribe
     form's address check (addresses.normalise_address), nothing written.
It prints seconds, rows per second, CPU seconds (which other work on the
machine changes less than wall time) and peak memory, and compares the peak of
the two newsdesk runs: memory must not grow with the file.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GHOST_HEADER = [
    "id",
    "email",
    "name",
    "note",
    "subscribed_to_emails",
    "complimentary_plan",
    "stripe_customer_id",
    "created_at",
    "deleted_at",
    "labels",
    "tiers",
]


def write_ghost_export(path, rows, prefix):
    names = [
        "Ada",
        "Bohdan",
        "Chiara",
        "Dmytro",
        "Esther",
        "Farah",
        "Gustavo",
        "Hanna",
        "Ivan",
        "Jun",
    ]
    randomness = random.Random(rows)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(GHOST_HEADER)
        for n in range(rows):
            name = f"{randomness.choice(names)} {randomness.choice(names)}son"
            subscribed = "false" if n % 50 == 0 else "true"
            created = f"20{randomness.randint(15, 25)}-0{randomness.randint(1, 9)}-1{randomness.randint(0, 9)}T08:30:00.000Z"
            writer.writerow(
                [
                    f"{n:024x}",
                    f"{prefix}.reader{n}@example{n % 97}.org",
                    name,
                    "",
                    subscribed,
                    "false",
                    "",
                    created,
                    "",
                    "",
                    "",
                ]
            )


def bare(path):
    """The ceiling: parse and check every address, write nothing."""
    from newsdesk.newsletters.subscribers.addresses import normalise_address

    started = time.perf_counter()
    valid = 0
    with path.open(newline="") as stream:
        reader = csv.reader(stream)
        email = next(reader).index("email")
        for row in reader:
            normalise_address(row[email])
            valid += 1
    return time.perf_counter() - started, valid


def newsdesk(path, slug, env):
    """The real path, the command in its own process; returns seconds, CPU seconds, its output and peak memory in MiB."""
    command = [
        str(ROOT / ".venv/bin/newsdesk"),
        "import_subscribers",
        slug,
        str(path),
        "--confirmed",
        "--consent-source",
        "Benchmark: readers of the old site",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"the import failed ({process.returncode}):\n{output}")
    return seconds, usage.ru_utime + usage.ru_stime, output, usage.ru_maxrss / 1024


SETUP = """
from newsdesk.newsletters.models import Newsletter
from newsdesk.people.models import Contributor
host = Contributor.objects.create(name="Bench Host", slug="bench-host")
for slug in {slugs!r}:
    Newsletter.objects.create(name=slug, slug=slug, description="Benchmark.", host=host, cadence="Daily",
                              sender_name="Bench", sender_address="bench@example.org")
"""


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=20_000)
    options = parser.parse_args()
    sizes = (options.small, options.rows)

    data_dir = Path(tempfile.mkdtemp(prefix="newsdesk-bench-import-"))
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
    }
    # This process stays without Django until the imports are done: a child's
    # peak memory (ru_maxrss) counts its parent's size at the fork.
    newsdesk_command = str(ROOT / ".venv/bin/newsdesk")
    subprocess.run([newsdesk_command, "migrate", "--verbosity", "0"], env=env, check=True)
    slugs = [f"bench-{rows}" for rows in sizes]
    subprocess.run(
        [newsdesk_command, "shell", "--verbosity", "0", "-c", SETUP.format(slugs=slugs)],
        env=env,
        check=True,
    )
    print(f"load average (1, 5, 15 min): {load()}, on {os.cpu_count()} cores")

    results = {}
    for rows, slug in zip(sizes, slugs, strict=False):
        path = data_dir / f"ghost-{rows}.csv"
        write_ghost_export(path, rows, slug)
        seconds, cpu, output, peak = newsdesk(path, slug, env)
        imported = next(line for line in output.splitlines() if line.startswith("Imported:"))
        results[rows] = (path, seconds, peak)
        print(
            f"{rows:>7} rows ({path.stat().st_size / 2**20:.1f} MiB), newsdesk import_subscribers: {seconds:6.2f} s, "
            f"{rows / seconds:6.0f} rows/s, CPU {cpu:6.2f} s, peak {peak:.0f} MiB ({imported})"
        )
    small, large = results[options.small][2], results[options.rows][2]
    print(
        f"peak memory, {options.small} → {options.rows} rows: {small:.0f} → {large:.0f} MiB "
        f"({large - small:+.0f} MiB for {options.rows / options.small:.0f} times the rows)"
    )

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    for rows in sizes:
        path, seconds, _ = results[rows]
        bare_seconds, valid = bare(path)
        print(
            f"{rows:>7} rows, bare csv + address check: {bare_seconds:6.2f} s, {valid / bare_seconds:6.0f} rows/s; "
            f"newsdesk / bare: {seconds / bare_seconds:.1f}"
        )
    print(f"load average (1, 5, 15 min): {load()}")


if __name__ == "__main__":
    main()
