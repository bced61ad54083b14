import { runCli } from '../helpers/run-cli';
import { describe, expect, it } from 'vitest';

describe('clickpulse CLI', () => {
  it('lists every subcommand in --help', async () => {
    const { code, out } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const name of [
      'broker',
      'replay',
      'generate',
      'download',
      'stream',
      'build',
      'export',
      'query',
      'web',
    ]) {
      expect(out).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('prints usage and exits 2 on an unknown command', async () => {
    const { code, err } = await runCli(['nonsense']);
    expect(code).toBe(2);
    expect(err).toContain('unknown command "nonsense"');
    expect(err).toContain('Usage: clickpulse <command>');
  });

  it('prints usage and exits 2 on a bad flag', async () => {
    const { code, err } = await runCli(['web', '--prot', '1']);
    expect(code).toBe(2);
    expect(err).toContain("Unknown option '--prot'");
    expect(err).toContain('Usage: clickpulse web');
  });

  it('explains a bad port', async () => {
    const { code, err } = await runCli(['web', '--port', '99999']);
    expect(code).toBe(2);
    expect(err).toContain('--port must be a whole number from 0 to 65535');
  });
});
