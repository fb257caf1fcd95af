"""Lighthouse's mobile figures for reader pages, newsdesk's beside a reference's, in one run.

    python3 bench/lighthouse/run.py --lighthouse /path/to/node_modules/lighthouse \\
        --runs 8 URL [URL ...] [--reference URL ...]

Lighthouse is the npm package (`npm i -E lighthouse@12` in a scratch folder; not a project
dependency) driving Debian's Chromium. The pages are taken in turn, run after run, so a
change in the machine's load falls on all of them alike. For each page: every run's
scores and metrics and which font files it fetched (a figure from a run that never
loaded a typeface is a false one), then the median and range. Each run's report and
artifacts are kept under --keep (default a new temporary folder); `lcp_chain.mjs` shows
what a run's simulated Largest Contentful Paint waited for.

A run that Chromium's trace missed (NO_NAVSTART, NO_FCP) is run again, up to three times.
`--summarise` prints the figures of runs kept by an earlier call (the same pages, in the
same order), without running Lighthouse.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
}


def lighthouse_run(lighthouse, url, folder):
    """One mobile run of `url`, its artifacts and its report (report.json) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.json"
    command = [
        "node",
        str(Path(lighthouse) / "cli" / "index.js"),
        url,
        "--form-factor=mobile",
        f"-GA={folder}",
        "--output=json",
        f"--output-path={report}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking",
        "--quiet",
    ]
    subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False)


def figures_of(report):
    """A report's scores, metrics, request count and font files; None for a run gone wrong."""
    if not report.exists():
        return None
    result = json.loads(report.read_text())
    audits = result["audits"]
    if result.get("runtimeError") or audits[METRICS["LCP"]].get("numericValue") is None:
        return None
    requests = audits["network-requests"]["details"]["items"]
    return {
        **{name: result["categories"][name]["score"] for name in CATEGORIES},
        **{short: audits[audit]["numericValue"] for short, audit in METRICS.items()},
        "requests": len(requests),
        "fonts": sorted(
            item["url"].rsplit("/", 1)[-1] for item in requests if ".woff2" in item["url"]
        ),
    }


def measured(lighthouse, url, folder, summarise=False):
    """The figures of the first good run of `url` in `folder`-0, -1, -2: run now, or read back."""
    for attempt in range(3):
        attempt_folder = folder.with_name(f"{folder.name}-{attempt}")
        if not summarise:
            lighthouse_run(lighthouse, url, attempt_folder)
        figures = figures_of(attempt_folder / "report.json")
        if figures:
            return figures
    raise SystemExit(f"Lighthouse gave no figures for {url} in three runs: see {folder}-*")


def row(label, figures):
    scores = " ".join(f"{figures[name]:.2f}" for name in CATEGORIES)
    times = " ".join(f"{figures[short]:5.0f}" for short in ("FCP", "LCP", "TBT"))
    return f"  {label:>8} {scores}  {times}  {figures['CLS']:.3f} {figures['requests']:4.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("urls", nargs="+", metavar="URL")
    parser.add_argument("--reference", nargs="*", default=[], metavar="URL")
    parser.add_argument("--lighthouse", required=True, help="the lighthouse package's folder")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="where each run's report and artifacts go")
    parser.add_argument("--summarise", action="store_true", help="only read the runs in --keep")
    arguments = parser.parse_args()
    keep = arguments.keep or Path(tempfile.mkdtemp(prefix="lighthouse-"))
    pages = [("newsdesk", url) for url in arguments.urls] + [
        ("reference", url) for url in arguments.reference
    ]
    runs = {url: [] for _, url in pages}
    for number in range(1, arguments.runs + 1):
        for index, (_, url) in enumerate(pages):
            folder = keep / f"page{index}-run{number}"
            runs[url].append(measured(arguments.lighthouse, url, folder, arguments.summarise))

    print(f"Lighthouse mobile, {arguments.runs} runs of each page in turn; reports in {keep}")
    print("       run perf a11y  bp  seo     FCP   LCP   TBT   CLS  requests; FCP, LCP, TBT in ms")
    for who, url in pages:
        print(f"\n{who}: {url}")
        figures = runs[url]
        for number, run in enumerate(figures, 1):
            print(row(str(number), run) + "  " + ", ".join(run["fonts"]))
        median = {
            key: statistics.median(run[key] for run in figures)
            for key in figures[0]
            if key != "fonts"
        }
        print(row("median", median))
        lcps = [run["LCP"] for run in figures]
        print(f"  LCP from {min(lcps):.0f} to {max(lcps):.0f} ms")


if __name__ == "__main__":
    main()
