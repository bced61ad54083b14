// Runs electronegativity's own runner in this child process and writes its findings as JSON to argv[3].
// Not its CLI: the CLI's CSV writer starts the header and the rows as two concurrent writes to one file,
// which now and then interleave. Usage: node --import ./offline.mjs scanner-child.mjs INPUT OUTPUT EXCLUDED
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { argv } from 'node:process';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const [input, output, excluded = ''] = argv.slice(2);

const result = await run(
  {
    input,
    isRelative: true,
    isVerbose: false,
    isSarif: false,
    customScan: [],
    excludeFromScan: excluded.split(',').filter(Boolean),
    parserPlugins: [],
  },
  false,
);
const findings = result.issues.map((issue) => ({
  check: issue.id,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  file: issue.file,
  location: `${issue.location.line}:${issue.location.column}`,
  sample: issue.sample ?? '',
  description: issue.description,
}));
const unparsed = result.errors
  .filter((error) => !error.tolerable)
  .map((error) => ({ file: relative(input, String(error.file)), message: String(error.message) }));
writeFileSync(output, JSON.stringify({ findings, unparsed }));
