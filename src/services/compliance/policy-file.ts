// Lender policies from files: `{ preset: 'cn', ...narrowing }` in JSON or YAML, and the
// `CLEMENT_POLICY` setting that names either a bare preset or such a file.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import {
  PRESETS,
  PRESET_NAMES,
  isPresetName,
  narrowPolicy,
  type NarrowingError,
  type Policy,
} from '../../domain/compliance/index.js';

export class PolicyFileError extends Error {
  readonly code = 'POLICY.INVALID';
  constructor(
    readonly path: string,
    readonly errors: readonly NarrowingError[],
  ) {
    super(`policy ${path}: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'PolicyFileError';
  }
  /** The first offending field, e.g. `hours.from`. */
  get field(): string {
    return this.errors[0]?.field ?? '(root)';
  }
}

/** A parsed policy document `{ preset, ...narrowing }` to a policy, or the fields that are wrong. */
export function policyFromDocument(
  doc: unknown,
): { ok: true; policy: Policy } | { ok: false; errors: readonly NarrowingError[] } {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, errors: [{ field: '(root)', message: 'a policy file holds an object { preset, hours?, limits? }' }] };
  }
  const { preset, ...narrowing } = doc as Record<string, unknown>;
  if (!isPresetName(preset)) {
    return {
      ok: false,
      errors: [{ field: 'preset', message: `preset must be one of ${PRESET_NAMES.join(', ')} (got ${JSON.stringify(preset)})` }],
    };
  }
  return narrowPolicy(preset, narrowing);
}

/** Reads a JSON or YAML policy file; throws a PolicyFileError naming the field when it is refused. */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyFileError(path, [{ field: '(file)', message: `cannot read: ${(err as Error).message}` }]);
  }
  let doc: unknown;
  try {
    // YAML 1.2 is a superset of JSON, so anything but a .json file is read as YAML.
    doc = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : loadYaml(text);
  } catch (err) {
    throw new PolicyFileError(path, [{ field: '(file)', message: `not valid JSON or YAML: ${(err as Error).message}` }]);
  }
  const result = policyFromDocument(doc);
  if (!result.ok) throw new PolicyFileError(path, result.errors);
  return result.policy;
}

/** `CLEMENT_POLICY`: a bare preset name (`cn`, `us`, `uk`) or a path to a policy file. */
export function resolvePolicy(nameOrPath: string): Policy {
  const value = nameOrPath.trim();
  if (isPresetName(value)) return PRESETS[value];
  if (value === '') {
    throw new PolicyFileError('(empty)', [{ field: 'CLEMENT_POLICY', message: `name a preset (${PRESET_NAMES.join(', ')}) or a policy file` }]);
  }
  return loadPolicyFile(value);
}
