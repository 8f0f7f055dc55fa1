// `clement compliance check`, `clement screen`, `clement wellbeing`: the gate and the two screens
// as filters over JSON. Pure: they never open the database; a check decides on the history the
// request carries. JSONL is streamed line by line, answers in input order, one output line per
// input line, with backpressure both ways. Exit 0 when the input was read (a refusal is an
// answer), 2 when it cannot be read at all or a single request is invalid.
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import type { Policy, PresetName } from '../domain/compliance/index.js';
import {
  assessItem,
  checkContactRequest,
  idOf,
  parseTextItem,
  presetOr,
  screenItem,
  type LineError,
  type TextItem,
} from '../services/compliance/check.service.js';
import { lenderPolicy } from '../services/compliance/lender-policy.js';
import { PolicyFileError, loadPolicyFile } from '../services/compliance/policy-file.js';
import { reportFailure } from './context.js';

/** Input that cannot be used at all: exit 2. */
class InputError extends Error {}

const EXIT_BAD_INPUT = 2;

function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof InputError || err instanceof PolicyFileError) {
        process.stderr.write(`clement: ${err.message}\n`);
        process.exitCode = EXIT_BAD_INPUT;
      } else {
        process.exitCode = reportFailure(err);
      }
    }
  };
}

// ------------------------------------------------------------------ input

const describeSource = (file: string | undefined) => (file && file !== '-' ? file : 'standard input');

const READ_ERRORS: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
const why = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && READ_ERRORS[code]) ?? (err as Error).message;
};

async function openInput(file: string | undefined): Promise<Readable> {
  if (!file || file === '-') return process.stdin;
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new InputError(`cannot read ${file}: it is a directory`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${file}: ${why(err)}`);
  }
  return createReadStream(file, { encoding: 'utf8' });
}

async function readAll(file: string | undefined): Promise<string> {
  let text: string;
  try {
    if (file && file !== '-') {
      const s = await stat(file);
      if (s.isDirectory()) throw new InputError(`cannot read ${file}: it is a directory`);
      text = await readFile(file, 'utf8');
    } else {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      text = Buffer.concat(chunks).toString('utf8');
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${describeSource(file)}: ${why(err)}`);
  }
  return text.replace(/^\uFEFF/, '');
}

/** One JSON value from a whole file or stdin, or an InputError saying why not. */
async function readOneJson(file: string | undefined): Promise<unknown> {
  const text = await readAll(file);
  if (text.trim() === '') throw new InputError(`${describeSource(file)} is empty: expected one JSON object`);
  try {
    return JSON.parse(text);
  } catch (err) {
    const hint = text.trim().includes('\n') ? ' (one object per line? use --jsonl)' : '';
    throw new InputError(`${describeSource(file)} is not valid JSON: ${(err as Error).message}${hint}`);
  }
}

// ------------------------------------------------------------------ output

/** Writes JSON lines, waiting for the reader when it falls behind; stops quietly if the reader goes away. */
class LineWriter {
  private closed = false;

  constructor(private readonly out: Writable) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true;
      else throw err;
    });
  }

  /** False once nobody reads any more. */
  async write(value: unknown): Promise<boolean> {
    if (this.closed) return false;
    if (!this.out.write(`${JSON.stringify(value)}\n`)) {
      try {
        await once(this.out, 'drain');
      } catch {
        this.closed = true;
      }
    }
    return !this.closed;
  }
}

/** Always `{code, message, field}`, in that order. */
const lineError = (e: LineError): LineError => ({ code: e.code, message: e.message, field: e.field });

type LineAnswer = (json: unknown) => unknown;
type LineFailure = (error: LineError, json: unknown) => unknown;

/** Answers each line of the input in order; a line that is not JSON gets an error line and the rest go on. */
async function eachLine(file: string | undefined, answer: LineAnswer, failure: LineFailure): Promise<void> {
  const input = await openInput(file);
  let readError: Error | null = null;
  input.on('error', (err) => {
    readError = err;
  });
  const rl = createInterface({ input, crlfDelay: Infinity });
  const out = new LineWriter(process.stdout);
  let n = 0;
  try {
    for await (const raw of rl) {
      n++;
      const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      let result: unknown;
      if (line.trim() === '') {
        result = failure({ code: 'REQUEST.INVALID', message: `line ${n} is empty: expected a JSON object`, field: '(root)' }, undefined);
      } else {
        let json: unknown;
        let parsed = true;
        try {
          json = JSON.parse(line);
        } catch (err) {
          parsed = false;
          result = failure({ code: 'REQUEST.INVALID_JSON', message: `line ${n} is not valid JSON: ${(err as Error).message}`, field: '(root)' }, undefined);
        }
        if (parsed) {
          try {
            result = answer(json);
          } catch (err) {
            // A programmer error on one line must not lose the answers to the others.
            result = failure({ code: 'INTERNAL', message: `line ${n}: ${(err as Error).message}`, field: '(root)' }, json);
          }
        }
      }
      if (!(await out.write(result))) break;
    }
  } finally {
    rl.close();
    if (input !== process.stdin) input.destroy();
  }
  if (readError) throw new InputError(`cannot read ${describeSource(file)} after line ${n}: ${why(readError)}`);
}

// ------------------------------------------------------------------ commands

/** Without --policy-file: the preset a request names, else the lender's policy (CLEMENT_POLICY, read when first needed). */
function policyChooser(policyFile: string | undefined): (preset: PresetName | undefined) => Policy {
  if (policyFile) {
    // The lender's narrowed policy decides every request, whatever preset it names.
    const policy = loadPolicyFile(policyFile);
    return () => policy;
  }
  let lender: Policy | null = null;
  return presetOr(() => (lender ??= lenderPolicy(loadConfig().policy)));
}

const textItemAnswer =
  (fn: (item: TextItem) => unknown): LineAnswer =>
  (json) => {
    const item = parseTextItem(json);
    return item.ok ? fn(item.value) : { id: idOf(json), error: lineError(item.error) };
  };

async function screenLike(file: string | undefined, jsonl: boolean | undefined, fn: (item: TextItem) => unknown): Promise<void> {
  if (jsonl) {
    await eachLine(file, textItemAnswer(fn), (error, json) => ({ id: idOf(json), error }));
    return;
  }
  const item = parseTextItem(await readOneJson(file));
  if (!item.ok) throw new InputError(`invalid text item in ${describeSource(file)}: ${item.error.message}`);
  await new LineWriter(process.stdout).write(fn(item.value));
}

export function registerComplianceCommands(program: Command): void {
  const compliance = program.command('compliance').description('The compliance gate');
  compliance
    .command('check')
    .description('Decide contact requests (COMPLIANCE.md JSON) on the history they carry; prints one decision per request')
    .argument('[file]', 'a JSON request, or with --jsonl one request per line (default: standard input)')
    .option('--jsonl', 'one request per input line, one decision (or {"error"}) per output line, in order')
    .option('--policy-file <file>', "decide every request under this lender's policy (JSON or YAML) instead of the preset it names")
    .action(
      action(async (file: string | undefined, opts: { jsonl?: boolean; policyFile?: string }) => {
        const policyFor = policyChooser(opts.policyFile);
        if (opts.jsonl) {
          await eachLine(
            file,
            (json) => {
              const r = checkContactRequest(json, policyFor);
              return r.ok ? r.value : { error: lineError(r.error) };
            },
            (error) => ({ error }),
          );
          return;
        }
        const r = checkContactRequest(await readOneJson(file), policyFor);
        if (!r.ok) throw new InputError(`invalid contact request in ${describeSource(file)}: ${r.error.message}`);
        await new LineWriter(process.stdout).write(r.value);
      }),
    );

  program
    .command('screen')
    .description('Screen texts for threats, insults, false legal claims, disclosure, harassment and deception')
    .argument('[file]', 'a JSON {"id","text","lang"?}, or with --jsonl one per line (default: standard input)')
    .option('--jsonl', 'one text per input line, {"id","findings"} per output line, in order')
    .action(action(async (file: string | undefined, opts: { jsonl?: boolean }) => screenLike(file, opts.jsonl, screenItem)));

  program
    .command('wellbeing')
    .description("Assess borrowers' texts for distress: none, concern or crisis, with the signals found")
    .argument('[file]', 'a JSON {"id","text","lang"?}, or with --jsonl one per line (default: standard input)')
    .option('--jsonl', 'one text per input line, {"id","level","signals"} per output line, in order')
    .action(action(async (file: string | undefined, opts: { jsonl?: boolean }) => screenLike(file, opts.jsonl, assessItem)));
}
