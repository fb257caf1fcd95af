// What a Lighthouse run's simulated Largest Contentful Paint waited for, request by request.
//
//   node bench/lighthouse/lcp_chain.mjs LIGHTHOUSE_PACKAGE_FOLDER RUN_FOLDER
//
// RUN_FOLDER holds a run's artifacts (`lighthouse -GA=RUN_FOLDER`, as run.py keeps them).
// Lighthouse's mobile figures are not the page's real load: Lantern replays it on a
// simulated slow phone (150 ms round trips, 1.6 Mbit/s shared by the requests in flight,
// six connections per origin, the CPU four times slower), counting every request that
// finished before the real paint. Its LCP is the mean of two graphs' ends, optimistic and
// pessimistic; this prints each graph's requests and main-thread tasks (over 5 ms) with their
// simulated start and end, so a figure can be put down to what held it up.
import path from "node:path";

const [lighthouse, run] = process.argv.slice(2);
if (!lighthouse || !run) {
  console.error("usage: node lcp_chain.mjs LIGHTHOUSE_PACKAGE_FOLDER RUN_FOLDER");
  process.exit(2);
}
const from = (file) => import(path.resolve(lighthouse, file));
const { loadArtifacts } = await from("core/lib/asset-saver.js");
const { defaultSettings } = await from("core/config/constants.js");
const { LanternLargestContentfulPaint } = await from(
  "core/computed/metrics/lantern-largest-contentful-paint.js",
);

const artifacts = await loadArtifacts(run);
const settings = { ...defaultSettings, ...artifacts.settings };
const result = await LanternLargestContentfulPaint.request(
  {
    trace: artifacts.Trace,
    devtoolsLog: artifacts.DevtoolsLog,
    gatherContext: artifacts.GatherContext,
    settings,
    URL: artifacts.URL,
    SourceMaps: artifacts.SourceMaps,
    simulator: null,
  },
  { computedCache: new Map(), settings },
);
const ms = (value) => value.toFixed(0).padStart(5);
console.log(
  `LCP ${ms(result.timing)} ms: optimistic ${ms(result.optimisticEstimate.timeInMs)}, ` +
    `pessimistic ${ms(result.pessimisticEstimate.timeInMs)}`,
);
for (const [graph, estimate] of [
  ["optimistic", result.optimisticEstimate],
  ["pessimistic", result.pessimisticEstimate],
]) {
  console.log(`\n${graph}: start   end   bytes  what`);
  const timings = [...estimate.nodeTimings.entries()].sort((a, b) => a[1].startTime - b[1].startTime);
  for (const [node, { startTime, endTime }] of timings) {
    if (node.type === "network") {
      const { url, transferSize } = node.request;
      console.log(`  ${ms(startTime)} ${ms(endTime)} ${String(transferSize).padStart(7)}  ${url.slice(0, 100)}`);
    } else if (endTime - startTime > 5) {
      console.log(`  ${ms(startTime)} ${ms(endTime)}          main thread`);
    }
  }
}
