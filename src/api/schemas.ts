import { z } from 'zod';

/** Money in JSON: a string of yuan with two decimals, "1060.00" (routes format fen with formatYuan). */
export const Money = z.string().regex(/^-?\d+\.\d{2}$/).meta({ description: 'yuan with two decimals, e.g. "1060.00"' });

export const MoneyIn = z.string().regex(/^\d{1,13}(\.\d{1,2})?$/, 'must be a string of yuan with at most two decimals, e.g. "1060.00"');

export const ErrorResponse = z.object({
  code: z.string(),
  message: z.string(),
  requestId: z.string(),
  details: z.array(z.object({ field: z.string(), message: z.string() }).passthrough()),
});

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const BUCKET_CODE = z.string().min(1).max(16);
