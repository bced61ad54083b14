import type { Command } from '../command';
import { brokerCommand } from './broker';
import { buildCommand } from './build';
import { downloadCommand } from './download';
import { exportCommand } from './export';
import { generateCommand } from './generate';
import { queryCommand } from './query';
import { replayCommand } from './replay';
import { sinkCommand } from './sink';
import { streamCommand } from './stream';
import { webCommand } from './web';

export const commands: Command[] = [
  brokerCommand,
  replayCommand,
  generateCommand,
  downloadCommand,
  streamCommand,
  buildCommand,
  exportCommand,
  sinkCommand,
  queryCommand,
  webCommand,
];
