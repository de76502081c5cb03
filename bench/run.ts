import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { machine, scenarioResult, writeReport, writeResult, type Round } from "./lib/report";
import type { Scenario } from "./lib/scenario";
import { GATEWAY_MAIN } from "./lib/gateway";

/**
 * `npm run bench [-- <scenario id or family>...]` (`watchers` runs every `watchers-*`): every scenario in `bench/scenarios/` (one file
 * each, exporting `scenarios`), three rounds each, results to `bench/results/<id>.json`, then
 * `bench/BENCHMARKS.md` from every result on disk. `BENCH_ROUNDS` changes the number of rounds.
 */
async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const all = await loadScenarios();
  const chosen = all.filter(
    (s) => filters.length === 0 || filters.some((f) => s.id === f || s.id.startsWith(`${f}-`)),
  );
  if (chosen.length === 0) throw new Error(`no scenario matches ${filters.join(", ")}`);
  log(`${JSON.stringify(machine())}; gateway ${GATEWAY_MAIN}`);
  for (const scenario of chosen) {
    log(`${scenario.id}: ${scenario.title}`);
    const context = await scenario.prepare?.();
    const done: Round[] = [];
    try {
      for (let i = 0; i < rounds; i++) {
        const loadBefore = os.loadavg()[0];
        const startedAt = new Date().toISOString();
        const figures = await scenario.round(context);
        const round = { startedAt, loadBefore, loadAfter: os.loadavg()[0], figures };
        done.push(round);
        log(`  round ${i + 1}: load ${loadBefore.toFixed(2)} ${JSON.stringify(figures)}`);
      }
    } finally {
      await scenario.finish?.(context);
    }
    writeResult(scenarioResult(scenario, done, GATEWAY_MAIN));
  }
  log(`wrote ${writeReport(all.map((s) => s.id))}`);
}

async function loadScenarios(): Promise<Scenario[]> {
  const dir = path.join(__dirname, "scenarios");
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .sort();
  const modules = await Promise.all(
    files.map((f) => import(path.join(dir, f)) as Promise<{ scenarios: Scenario[] }>),
  );
  return modules.flatMap((m) => m.scenarios);
}

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
