import { parseArgs } from 'node:util';
import { APP_VERSION } from '../version';
import { EXIT_USAGE, type CliIO, type Command } from './command';
import { commands } from './commands';

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `ClickPulse Workbench ${APP_VERSION}: replay clickstreams onto Kafka, stream them into a Parquet lake, explore it.`,
    '',
    'Usage: clickpulse <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "clickpulse <command> --help" for its options.',
  ].join('\n');
}

function commandUsage(command: Command): string {
  return `Usage: clickpulse ${command.name} ${command.synopsis}\n\n${command.summary}`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(APP_VERSION);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`clickpulse: unknown command "${name}".\n\n${usage()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandUsage(command));
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    io.err(
      `clickpulse ${name}: ${error instanceof Error ? error.message : String(error)}\n\n${commandUsage(command)}`,
    );
    return EXIT_USAGE;
  }
  return command.run(parsed, io);
}
