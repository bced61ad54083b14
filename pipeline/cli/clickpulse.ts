import { main } from './main';
import { exitAtOnce, stopOnSignals } from './signals';

const err = (line: string) => process.stderr.write(`${line}\n`);
const stopSignal = stopOnSignals({ source: process, exit: exitAtOnce, err });

const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err,
  stopSignal,
});
process.exit(code);
