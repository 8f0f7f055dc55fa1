import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, InvalidArgumentError, Option } from 'commander';
import { stringify } from 'csv-stringify';
import { LEDGER_KINDS, type LedgerKind } from '../domain/ledger/rows.js';
import { importCsvFile } from '../services/ledger/import.service.js';
import { runDaily } from '../services/aging/daily-run.service.js';
import { exportDelinquency, DELINQUENCY_EXPORT_COLUMNS } from '../services/ledger/export.service.js';
import { writeDemoCsv } from '../services/demo/demo-portfolio.js';
import { loadConfig } from '../config/config.js';
import { action, withDatabase, todayIn } from './context.js';
import { startCommand } from './start.js';
import { registerComplianceCommands } from './compliance.commands.js';
import { registerUserCommands } from './user.commands.js';
import { registerAuditCommands } from './audit.commands.js';
import { registerKeyCommands } from './keys.commands.js';
import { registerBackupCommands } from './backup.commands.js';

const program = new Command('clement')
  .description('Clement: collections for online micro-lenders, effective, lawful and kind.')
  .showHelpAfterError();

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

program
  .command('start')
  .description('Start Clement; on an empty embedded data folder, load the demo portfolio first')
  .action(action(async () => startCommand({ demo: true })));

program
  .command('serve')
  .description('Serve the API and the web pages (no demo)')
  .action(action(async () => startCommand({ demo: false })));

program
  .command('import')
  .description('Import a CSV file: borrowers, contacts, loans, installments or payments. All rows or none.')
  .addArgument(program.createArgument('<kind>', 'what the file holds').choices(LEDGER_KINDS))
  .argument('<file>', 'the CSV file')
  .action(
    action(async (kind: LedgerKind, file: string) => {
      await withDatabase(`clement import ${kind}`, async ({ deps, audit }) => {
        const r = await importCsvFile(deps, kind, file, audit);
        for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
        process.stdout.write(`${kind}: ${r.rows} rows read, ${r.created} created, ${r.unchanged} already present\n`);
      });
    }),
  );

const run = program.command('run').description('Run a batch job');
run
  .command('daily')
  .description('Age the portfolio as of a date (event-driven), open and close cases')
  .option('--as-of <date>', "the business date, YYYY-MM-DD (default: today in the lender's time zone)")
  .option('--full', 're-age every loan in one statement (repair)')
  .action(
    action(async (opts: { asOf?: string; full?: boolean }) => {
      const config = loadConfig();
      const asOf = opts.asOf ?? todayIn(config.timezone);
      await withDatabase(
        'clement run daily',
        async ({ deps, audit }) => {
          const r = await runDaily(deps, asOf, { full: opts.full, audit });
          process.stdout.write(
            `daily run as of ${r.asOf} (${r.mode}): ${r.loansAged} loans aged, ${r.casesOpened} cases opened, ${r.casesClosed} closed\n`,
          );
        },
        config,
      );
    }),
  );

const exp = program.command('export').description('Export data as CSV');
exp
  .command('delinquency')
  .description('Each loan disbursed by the date: dpd, bucket and overdue amounts as of that date')
  .requiredOption('--as-of <date>', 'YYYY-MM-DD')
  .option('--out <file>', 'write here instead of stdout')
  .action(
    action(async (opts: { asOf: string; out?: string }) => {
      await withDatabase('clement export delinquency', async ({ deps, audit }) => {
        audit.note('export', { kind: 'delinquency', asOf: opts.asOf });
        const out = opts.out ? createWriteStream(opts.out) : process.stdout;
        const csv = stringify({ header: true, columns: [...DELINQUENCY_EXPORT_COLUMNS] });
        csv.pipe(out);
        for await (const row of exportDelinquency(deps, opts.asOf)) {
          if (!csv.write(row)) await once(csv, 'drain');
        }
        csv.end();
        if (opts.out) await once(out, 'finish');
        else await once(csv, 'end');
      });
    }),
  );

program
  .command('demo')
  .description('Write a synthetic demo portfolio as CSV files')
  .requiredOption('--borrowers <n>', 'how many borrowers', positiveInt)
  .requiredOption('--out <dir>', 'the folder to write into')
  .option('--as-of <date>', 'the date the portfolio is around (default: today)')
  .addOption(new Option('--seed <n>', 'random seed').argParser(positiveInt).default(1))
  .action(
    action(async (opts: { borrowers: number; out: string; asOf?: string; seed: number }) => {
      const config = loadConfig();
      const asOf = opts.asOf ?? todayIn(config.timezone);
      const r = await writeDemoCsv(opts.out, { borrowers: opts.borrowers, asOf, seed: opts.seed, timezone: config.timezone });
      for (const [name, path] of Object.entries(r.files)) process.stdout.write(`${path}: ${r.counts[name] ?? '?'} rows\n`);
    }),
  );

registerComplianceCommands(program);
registerUserCommands(program);
registerKeyCommands(program);
registerBackupCommands(program);
registerAuditCommands(program);
await program.parseAsync(process.argv);
