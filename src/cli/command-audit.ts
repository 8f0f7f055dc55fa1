// The audit scope of one CLI command: who ran it (`cli:<os user>`), what (`cli <command> <args>`,
// with the values of secret-looking options hidden), and from where (host and process).
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { CLI_ACTOR } from '../domain/access/permissions.js';
import { AuditScope } from '../services/audit/audit.service.js';

const SECRET_OPTION = /pass|secret|token|key/i;
const MAX_ARG = 200;

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers).
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** The command line as recorded: arguments as given (file names, not contents), secrets hidden. */
export function commandLine(args: readonly string[]): string {
  const out: string[] = [];
  let hideNext = false;
  for (const arg of args) {
    if (hideNext) {
      out.push('[hidden]');
      hideNext = false;
      continue;
    }
    const option = /^--?([^=]+)(=.*)?$/.exec(arg);
    if (option && SECRET_OPTION.test(option[1]!)) {
      if (option[2] !== undefined) out.push(`--${option[1]}=[hidden]`);
      else {
        out.push(arg);
        hideNext = true;
      }
      continue;
    }
    out.push(arg.length > MAX_ARG ? `${arg.slice(0, MAX_ARG)}…` : arg);
  }
  return ['cli', ...out].join(' ');
}

export function commandAuditScope(args: readonly string[] = process.argv.slice(2)): AuditScope {
  const actor = CLI_ACTOR(osUser());
  return new AuditScope({
    action: commandLine(args),
    source: `cli ${hostname()} pid ${process.pid}`,
    requestId: `cli_${randomUUID()}`,
    actor: () => ({ name: actor.name, userId: actor.userId }),
  });
}
