import type { Command } from '../command';
import { brokerCommand } from './broker';
import { buildCommand } from './build';
import { downloadCommand } from './download';
import { exploreCommand } from './explore';
import { exportCommand } from './export';
import { generateCommand } from './generate';
import { lineageCommand } from './lineage';
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
  exploreCommand,
  lineageCommand,
  webCommand,
];
