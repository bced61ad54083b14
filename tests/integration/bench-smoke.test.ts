import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild } from '../helpers/children';
import { repoRoot } from '../helpers/repo-root';

/**
 * Every `npm run bench:*` script run once at a tiny size, so none rots: each must finish and print its
 * figures. Speed is not judged here (that is what the benchmarks are for, at full size).
 */
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

const benches: {
  name: string;
  env: Record<string, string>;
  prints: RegExp[];
  /** tsx options before the script (bench:month imports the lake's SQL files: the ?raw hook). */
  tsxArgs?: string[];
}[] = [
  {
    name: 'broker',
    env: { MESSAGES: '3000', TOPICS: '20' },
    prints: [
      /kafkajs produce .* msgs\/s/,
      /platformatic produce .* msgs\/s/,
      /kcat consume/,
      /metadata kcat -L/,
    ],
  },
  {
    name: 'generate',
    env: { ROWS: '20000' },
    prints: [/events\.csv: 20,000 rows/, /events\.csv\.gz: 20,000 rows/],
  },
  { name: 'replay', env: { ROWS: '3000' }, prints: [/rows\/s; CPU\/event/, /vs kcat's rate/] },
  {
    name: 'lake',
    env: { ROWS: '3000', PACED_ROWS: '300' },
    prints: [
      /replay → Bronze caught up: 3,000 rows .* µs per event/,
      /end to end .* µs per event/,
      /at 1,000 events\/s for 300 events/,
      /browser bridge during a max-speed replay .* \(3,000 rows .*p99 [\d.]+ ms/,
    ],
  },
  {
    name: 'month',
    env: { ROWS: '3000', DAYS: '2' },
    tsxArgs: ['--import', './tests/helpers/raw-hook.mjs'],
    prints: [/month end to end .* µs per event/, /Gold refresh of one day: first day .* last day/],
  },
  {
    name: 'gold',
    env: { ROWS: '3000', DAYS: '2', STEPS: '4' },
    tsxArgs: ['--import', './tests/helpers/raw-hook.mjs'],
    prints: [/last \(step 4 of 4, .*\): Gold refresh .* CPU/, /end of the last day \/ end of day 1: .*CPU/],
  },
  {
    name: 'sink',
    env: { ROWS: '3000', PACED_ROWS: '300' },
    prints: [
      /COPY path: .* rows\/s; sink CPU [\d.]+ s/,
      /second run, nothing changed/,
      /Gold refresh → PostgreSQL .*: latency p50\/p95 [\d.]+ s\/[\d.]+ s; the continuous sink's CPU .*[\d.]+ s/,
    ],
  },
  {
    name: 'ui',
    env: { ROWS: '3000', LIVE_ROWS: '20000' },
    prints: [
      /Silver rows directly with DuckDB/,
      /time to first grid page: \d+ ms/,
      /scroll to the last row: \d+ ms/,
      /dashboard refresh from Gold .* ms round trip/,
      /dashboard refresh from Silver .* ms round trip/,
      /filter event_type = purchase .*: \d+ ms/,
      /SQL result of every row, first page: \d+ ms/,
      /SQL result, every row in and counted: \d+ ms/,
      /SQL result, then scroll to its last row: \d+ ms/,
      /explore calls alone .*: search \d+ ms, journey \d+ ms, drill-through \d+ ms/,
      /another journey from the Journeys screen .*: \d+ ms/,
      /during a max-speed replay \([\d,]+ of 20,000 rows sent/,
    ],
  },
];

describe('benchmarks at a tiny size', () => {
  for (const bench of benches) {
    it(`bench:${bench.name} runs to the end and prints its figures`, async () => {
      const { code, stdout, stderr } = await runChild(
        tsx,
        [...(bench.tsxArgs ?? []), join(repoRoot, 'tests', 'bench', `${bench.name}.ts`)],
        {
          env: bench.env,
          cwd: repoRoot,
          timeoutMs: 170_000,
        },
      );
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      for (const figure of bench.prints) expect(stdout, stderr).toMatch(figure);
    }, 180_000);
  }
});
