/**
 * `npm run security`: electronegativity over the project; exits 1 on any high-severity finding that the
 * allow-list (scripts/security/findings.ts, each entry with its reason) does not cover, on a stale entry, or
 * on a file it could not parse.
 * `--input DIR` scans DIR as it is instead of the project (how the tests prove the gate bites).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOW_LIST, BLOCKING_SEVERITY, describeFinding, judge } from './security/findings';
import { scanFolder, scanProject } from './security/scan';

async function main(argv: string[]): Promise<number> {
  const inputAt = argv.indexOf('--input');
  if (argv.some((a, i) => a !== '--input' && i !== inputAt + 1) || (inputAt >= 0 && !argv[inputAt + 1])) {
    console.error('Usage: tsx scripts/electronegativity.ts [--input DIR]');
    return 2;
  }
  const input = inputAt >= 0 ? resolve(argv[inputAt + 1] ?? '.') : undefined;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { findings, unparsed } = input ? await scanFolder(input) : await scanProject(root);
  const verdict = judge(findings, ALLOW_LIST);

  console.log(
    `electronegativity: ${findings.length} findings (${verdict.blocking.length} blocking, ` +
      `${verdict.allowed.length} allowed, ${verdict.advisory.length} below ${BLOCKING_SEVERITY}).`,
  );
  for (const f of verdict.advisory) console.log(`  review: ${describeFinding(f)}`);
  for (const { finding, allowance } of verdict.allowed) {
    console.log(`  allowed: ${describeFinding(finding)}\n    because: ${allowance.reason}`);
  }
  for (const f of verdict.blocking) console.error(`  BLOCKING: ${describeFinding(f)}`);
  // A file the scanner cannot parse is a file nobody checked: that fails the gate as well.
  for (const u of unparsed)
    console.error(`  UNSCANNED ${u.file}: electronegativity could not parse it: ${u.message}`);
  for (const a of verdict.stale) {
    console.error(`  STALE allow-list entry ${a.check} on ${a.file}: it matches nothing now; remove it.`);
  }
  if (verdict.blocking.length > 0) {
    console.error(
      `Fix each ${BLOCKING_SEVERITY} finding, or justify it with an entry in ALLOW_LIST ` +
        '(scripts/security/findings.ts) that says why it is safe.',
    );
  }
  return verdict.blocking.length + verdict.stale.length + unparsed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
