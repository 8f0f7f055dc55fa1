// One error type for expected failures, mapped to HTTP status and CLI exit codes in one place each.
export const ERROR_KINDS = ['validation', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'unavailable', 'locked', 'rate_limited'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ErrorDetail {
  field: string;
  message: string;
  line?: number;
  file?: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** `AREA.REASON`, stable for clients. */
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}
