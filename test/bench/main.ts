// npm run bench -- <daily|gate|screens> [options]. Each prints JSON lines; the first is the headline.
import { Command } from 'commander';
import { benchDaily } from './daily.js';

const program = new Command('bench');
program
  .command('daily')
  .option('--loans <n>', 'portfolio size', (v) => Number(v), 1_000_000)
  .action(async (opts: { loans: number }) => benchDaily(opts));
program
  .command('gate')
  .option('--clients <n>', 'concurrent decide-and-record clients', (v) => Number(v), 16)
  .option('--seconds <n>', 'seconds per measurement', (v) => Number(v), 5)
  .action(async (opts: { clients: number; seconds: number }) => {
    const { benchGate } = await import('./gate.js');
    await benchGate(opts);
  });
program.command('screens').action(async () => {
  const { benchScreens } = await import('./screens.js');
  benchScreens();
});
await program.parseAsync(process.argv);
