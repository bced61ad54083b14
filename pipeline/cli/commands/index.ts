import { notImplemented, type Command } from '../command';
import { brokerCommand } from './broker';
import { buildCommand } from './build';
import { generateCommand } from './generate';
import { queryCommand } from './query';
import { webCommand } from './web';

export const commands: Command[] = [
  brokerCommand,
  notImplemented(
    'replay',
    'Replay a clickstream file onto a Kafka topic (and into a lake with --lake).',
    'FILE [--speed max|FACTOR] [--rate N] [--topic T] [--brokers HOST:PORT] [--lake DIR] ...',
  ),
  generateCommand,
  notImplemented('download', 'Download a month of the REES46 dataset.', 'YYYY-Mon [--out DIR]'),
  notImplemented(
    'stream',
    'Run the lake consumer (topic → Bronze → Silver → Gold) until stopped.',
    '--lake DIR [--brokers HOST:PORT]',
  ),
  buildCommand,
  notImplemented(
    'export',
    'Export Gold tables as CSV, Parquet, Excel or Tableau data sources.',
    '--lake DIR --out DIR [--tables T,...] [--format F,...]',
  ),
  queryCommand,
  webCommand,
];
