// Personal data leaves the service layer masked; one value at a time may be revealed, with a reason.
import { MASKS, type PersonalField } from '../../domain/privacy/mask.js';
import type { Deps } from '../../deps.js';

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
