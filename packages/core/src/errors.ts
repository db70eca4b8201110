/**
 * Typed errors. Every failure of a public `@ot/*` function is an {@link OTError} with a stable
 * {@link OTErrorCode}, so callers can branch on `err.code` rather than on message text.
 */

/** Stable error codes shared by every `@ot/*` package. */
export const OTErrorCodes = [
  /** A tensor has the wrong rank or shape. */
  'INVALID_SHAPE',
  /** Two inputs that must agree (dimension, batch size, sizes of values and weights) do not. */
  'SHAPE_MISMATCH',
  /** An input has no elements. */
  'EMPTY_INPUT',
  /** An input contains NaN or ±Infinity. */
  'NON_FINITE',
  /** A tensor has a dtype the function does not accept. */
  'INVALID_DTYPE',
  /** Weights are negative or do not sum to one. */
  'INVALID_WEIGHTS',
  /** A hyper-parameter or option is out of range or of the wrong kind. */
  'INVALID_ARGUMENT',
  /** A matrix that must be symmetric positive (semi-)definite is not. */
  'NOT_POSITIVE_DEFINITE',
  /** An iterative method did not reach its tolerance. */
  'NOT_CONVERGED',
  /** A requested backend is unknown or cannot be loaded. */
  'BACKEND_UNAVAILABLE',
  /** An object was used after `dispose()`. */
  'DISPOSED',
  /** A file is missing, unreadable, truncated or malformed. */
  'INVALID_FILE',
  /** A computation produced NaN or Infinity from finite inputs. */
  'NUMERICAL_ERROR',
] as const;

export type OTErrorCode = (typeof OTErrorCodes)[number];

/** The error thrown by every `@ot/*` function on bad input or numerical failure. */
export class OTError extends Error {
  /** Stable, machine-readable code. */
  readonly code: OTErrorCode;
  /** Optional structured context (argument name, expected and actual values). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: OTErrorCode, message: string, details?: Record<string, unknown>) {
    super(`[${code}] ${message}`);
    this.name = 'OTError';
    this.code = code;
    this.details = details === undefined ? undefined : Object.freeze({ ...details });
  }
}

/** True when `e` is an {@link OTError}, optionally with the given code. */
export function isOTError(e: unknown, code?: OTErrorCode): e is OTError {
  return e instanceof OTError && (code === undefined || e.code === code);
}
