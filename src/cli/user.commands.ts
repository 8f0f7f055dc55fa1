// `clement user add | token | tokens | revoke-token`: accounts and API tokens from the command
// line. A generated password or a token is printed once, here, and stored only as a hash.
import type { Command } from 'commander';
import { PERMISSIONS, ROLES } from '../domain/access/permissions.js';
import type { Deps } from '../deps.js';
import { addUser, issueApiToken, listApiTokens, revokeApiToken } from '../services/access/users.service.js';
import { action, withDatabase } from './context.js';

type Out = (line: string) => void;
const stdout: Out = (line) => process.stdout.write(`${line}\n`);

const collect = (value: string, previous: string[]) => [...previous, value];

export interface UserAddOptions {
  role: string[];
  team?: string;
  agency?: string;
  certified?: boolean;
}

export async function userAdd(deps: Deps, username: string, opts: UserAddOptions, out: Out = stdout): Promise<void> {
  const u = await addUser(deps, { username, roles: opts.role, team: opts.team, agency: opts.agency, certified: opts.certified ?? false });
  const where = [opts.team && `team ${opts.team}`, opts.agency && `agency ${opts.agency}`].filter(Boolean).join(', ');
  out(`user ${u.username} created: ${u.roles.join(', ')}${where ? `; ${where}` : ''}${opts.certified ? '; certified' : '; not certified'}`);
  out(`password: ${u.password}`);
  out('This password is shown only now (it is stored hashed): hand it over safely.');
}

export async function userToken(deps: Deps, username: string, opts: { name: string; scope: string[] }, out: Out = stdout): Promise<void> {
  const t = await issueApiToken(deps, { username, name: opts.name, scopes: opts.scope });
  out(`token ${t.name} for ${t.username}: ${t.scopes.join(', ')}`);
  out(`token: ${t.token}`);
  out('This token is shown only now (it is stored hashed). Send it as: Authorization: Bearer <token>');
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Accounts and API tokens');

  user
    .command('add')
    .description('Create a user and print a generated password, once')
    .argument('<username>', 'lower-case letters, digits, dot, dash or underscore')
    .requiredOption('--role <role>', `a role, repeatable: ${ROLES.join(', ')}`, collect, [])
    .option('--team <name>', 'the internal team (created when new)')
    .option('--agency <name>', 'the outside agency (created when new); required for agency_agent')
    .option('--certified', 'the user has passed training and certification')
    .action(
      action(async (username: string, opts: UserAddOptions) => {
        await withDatabase('clement user add', ({ deps }) => userAdd(deps, username, opts));
      }),
    );

  user
    .command('token')
    .description("Issue an API token acting as the user, narrowed to the scopes given; print it once")
    .argument('<username>')
    .requiredOption('--name <name>', 'a unique name for the token, e.g. the integration using it')
    .requiredOption('--scope <permission>', `a permission, repeatable: ${PERMISSIONS.join(', ')}`, collect, [])
    .action(
      action(async (username: string, opts: { name: string; scope: string[] }) => {
        await withDatabase('clement user token', ({ deps }) => userToken(deps, username, opts));
      }),
    );

  user
    .command('tokens')
    .description('List API tokens (never their values)')
    .action(
      action(async () => {
        await withDatabase('clement user tokens', async ({ deps }) => {
          for (const t of await listApiTokens(deps)) {
            const state = t.revoked_at ? `revoked ${t.revoked_at}` : `active, last used ${t.last_used_at ?? 'never'}`;
            stdout(`${t.name}\t${t.username}\t${t.scopes.join(',')}\t${state}`);
          }
        });
      }),
    );

  user
    .command('revoke-token')
    .description('Revoke an API token at once')
    .argument('<name>')
    .action(
      action(async (name: string) => {
        await withDatabase('clement user revoke-token', async ({ deps }) => {
          const r = await revokeApiToken(deps, name);
          stdout(r.alreadyRevoked ? `token ${name} was already revoked` : `token ${name} revoked`);
        });
      }),
    );
}
