// Which policy a decision is taken under: the lender's (CLEMENT_POLICY, a preset or a policy
// file, read once per process) unless a pure request names a bare preset.
import { PRESETS, type Policy, type PresetName } from '../../domain/compliance/index.js';
import { AppError } from '../errors.js';
import { PolicyFileError, resolvePolicy } from './policy-file.js';

const cache = new Map<string, Policy>();

/** The lender's policy named by CLEMENT_POLICY, resolved once and kept for the life of the process. */
export function lenderPolicy(setting: string): Policy {
  const hit = cache.get(setting);
  if (hit) return hit;
  try {
    const policy = resolvePolicy(setting);
    cache.set(setting, policy);
    return policy;
  } catch (err) {
    if (err instanceof PolicyFileError) {
      throw new AppError('unavailable', 'POLICY.INVALID', `CLEMENT_POLICY: ${err.message}`, [{ field: err.field, message: err.message }]);
    }
    throw err;
  }
}

/**
 * The policy for a pure request: `policy` names a bare preset (`cn`, `us`, `uk`); without it the
 * lender's policy applies, narrowing included, as it would to a real contact.
 */
export function policyForRequest(preset: PresetName | undefined, lender: () => Policy): Policy {
  return preset ? PRESETS[preset] : lender();
}
