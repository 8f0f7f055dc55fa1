// `clement audit verify`: walks the audit trail's hash chain. Exit 0 printing the number of events
// when it is whole; exit 1 naming the first broken event and what is wrong with it.
import type { Command } from 'commander';
import { verifyAuditChain } from '../services/audit/audit.service.js';
import { action, withDatabase } from './context.js';


export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The audit trail');
  audit
    .command('verify')
    .description('Walk the hash chain of the audit trail: exit 0 when whole, 1 naming the first broken event')
    .action(
      action(async () => {
        await withDatabase('clement audit verify', async ({ deps, audit: scope }) => {
          const r = await verifyAuditChain(deps.db);
          if (r.ok) {
            scope.note('verify', { ok: true, events: r.events });
            process.stdout.write(`audit trail whole: ${r.events} event${r.events === 1 ? '' : 's'}${r.head ? `, last hash ${r.head}` : ''}\n`);
          } else {
            scope.note('verify', { ok: false, brokenAt: r.brokenAt, problem: r.problem });
            process.stderr.write(`clement: audit trail broken at event ${r.brokenAt}: ${r.reason} (${r.events} events before it are whole)\n`);
            process.exitCode = 1;
          }
        });
      }),
    );
}
