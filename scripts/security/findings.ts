import { z } from 'zod';

/**
 * Reading and judging electronegativity's findings (pure, so tests cover it without a scan).
 */

export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';

const findingSchema = z.object({
  check: z.string().min(1),
  severity: z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH']),
  confidence: z.string(),
  /** Relative to the scanned folder, which mirrors the project layout. */
  file: z.string(),
  /** "line:column" */
  location: z.string(),
  sample: z.string(),
  description: z.string(),
});

export type Finding = z.infer<typeof findingSchema>;

/** A high-severity finding we keep on purpose; `reason` is the justification a reviewer reads. */
export interface Allowance {
  check: string;
  file: string;
  reason: string;
}

const RANK: Record<Severity, number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

/** The gate: anything at or above this fails `npm run security` unless allowed. */
export const BLOCKING_SEVERITY: Severity = 'HIGH';

/**
 * High-severity findings kept on purpose, each with its reason. Empty today: the one high finding the
 * project had (CONTEXT_ISOLATION_JS_CHECK on main/window.ts, because the options came from a spread the
 * static check cannot follow) was fixed by restating contextIsolation and sandbox at the call site.
 * Matching is by check and file, not line, so an entry survives edits elsewhere in the file.
 */
export const ALLOW_LIST: readonly Allowance[] = [];

const reportSchema = z.object({
  findings: z.array(findingSchema),
  /** Files electronegativity could not parse, which therefore went unscanned. */
  unparsed: z.array(z.object({ file: z.string(), message: z.string() })),
});

export type ScanReport = z.infer<typeof reportSchema>;

/** The scanner child's JSON → a report; throws naming the first field that is not what we expect. */
export function readReport(json: string): ScanReport {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(
      `Unreadable electronegativity report: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Unexpected electronegativity report at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export interface Verdict {
  /** High findings with no allowance: each one fails the run. */
  blocking: Finding[];
  /** High findings an allowance covers. */
  allowed: { finding: Finding; allowance: Allowance }[];
  /** Allowances that match nothing any more: they fail the run too, so justifications do not outlive code. */
  stale: Allowance[];
  /** Everything below the gate, reported for review. */
  advisory: Finding[];
}

export function judge(findings: readonly Finding[], allowList: readonly Allowance[]): Verdict {
  const verdict: Verdict = { blocking: [], allowed: [], stale: [], advisory: [] };
  const used = new Set<Allowance>();
  for (const finding of findings) {
    if (RANK[finding.severity] < RANK[BLOCKING_SEVERITY]) {
      verdict.advisory.push(finding);
      continue;
    }
    const allowance = allowList.find((a) => a.check === finding.check && a.file === finding.file);
    if (allowance) {
      used.add(allowance);
      verdict.allowed.push({ finding, allowance });
    } else verdict.blocking.push(finding);
  }
  verdict.stale = allowList.filter((a) => !used.has(a));
  return verdict;
}

export function describeFinding(f: Finding): string {
  return `${f.severity} ${f.check} at ${f.file}:${f.location} — ${f.description}${f.sample && f.sample !== 'N/A' ? `\n    ${f.sample}` : ''}`;
}
