import { main } from '../../pipeline/cli/main';

/** Runs the CLI in-process and collects what it prints. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stopSignal: new Promise(() => undefined),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
