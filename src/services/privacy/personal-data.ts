// Personal data leaves the service layer masked; one value at a time may be revealed, with a reason.
import { MASKS, type PersonalField } from '../../domain/privacy/mask.js';
import type { Deps } from '../../deps.js';
import { caseScope, type Actor } from '../../domain/access/permissions.js';
import { readRepository } from '../../db/repositories/read.repository.js';
import { AppError } from '../errors.js';
import { recordReveal } from '../audit/audit.service.js';
import type { AuditScope } from '../audit/audit-scope.js';

interface SealedPersonalData {
  id_number: string | null;
  phone: string;
  email: string | null;
  address: string | null;
}

const COLUMN: Readonly<Record<PersonalField, keyof SealedPersonalData>> = {
  idNumber: 'id_number',
  phone: 'phone',
  email: 'email',
  address: 'address',
};

export function openField(deps: Pick<Deps, 'vault'>, row: SealedPersonalData, field: PersonalField): string | null {
  const sealed = row[COLUMN[field]];
  return sealed === null ? null : deps.vault.decrypt(sealed);
}

export function maskedPersonalData(deps: Pick<Deps, 'vault'>, row: SealedPersonalData) {
  const masked = (field: PersonalField) => {
    const v = openField(deps, row, field);
    return v === null ? null : MASKS[field](v);
  };
  return { idNumber: masked('idNumber'), phone: masked('phone')!, email: masked('email'), address: masked('address') };
}

/**
 * One personal value of a borrower the actor may see, unmasked. The audit event, with its reason,
 * is written before the value is returned: no record, no value.
 */
export async function revealPersonalField(
  deps: Deps,
  actor: Actor,
  audit: AuditScope,
  borrowerExternalId: string,
  field: PersonalField,
  reason: string,
): Promise<string | null> {
  const b = await readRepository().borrowerByExternalId(deps.db, borrowerExternalId, caseScope(actor));
  if (!b) throw new AppError('not_found', 'BORROWER.NOT_FOUND', `no borrower ${borrowerExternalId}`);
  const value = openField(deps, b, field);
  await recordReveal(deps.db, audit, { borrowerId: borrowerExternalId, field, reason });
  return value;
}

/** Finds borrowers by phone or ID number through the blind index, never decrypting the table. */
export async function findBorrowers(deps: Deps, actor: Actor, by: { phone?: string; idNumber?: string }) {
  const [column, value] =
    by.phone !== undefined ? (['phone_index', by.phone] as const) : (['id_number_index', (by.idNumber ?? '').toUpperCase()] as const);
  const rows = await readRepository().borrowersByIndex(deps.db, column, deps.vault.index(value), caseScope(actor));
  return rows.map((b) => ({ id: b.external_id, name: b.name, ...maskedPersonalData(deps, b) }));
}
