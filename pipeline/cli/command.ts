import type { ParseArgsConfig } from 'node:util';

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the user asks a long-running command to stop (Ctrl-C, SIGTERM). */
  stopSignal: Promise<void>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  /** Argument synopsis after "clickpulse <name>". */
  synopsis: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  /** Returns the process exit code. */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** Exit code for usage errors and for subcommands a later release fills in. */
export const EXIT_USAGE = 2;

export function notImplemented(
  name: string,
  summary: string,
  synopsis: string,
  options: Command['options'] = {},
): Command {
  return {
    name,
    summary,
    synopsis,
    options,
    allowPositionals: true,
    run: async (_args, io) => {
      io.err(`clickpulse ${name}: not implemented yet.`);
      return EXIT_USAGE;
    },
  };
}
