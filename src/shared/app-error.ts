/**
 * Every error the domain raises on purpose, by code. The HTTP layer maps codes to status codes, the
 * CLI prints them, the browser translates them. Messages never hold personal data.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  NAME_REFUSED: 400,
  ANTI_ABUSE_FAILED: 400,
  CSV_UNREADABLE: 400,
  WRONG_PASSWORD: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_SECOND_FACTOR: 401,
  SECOND_FACTOR_REQUIRED: 401,
  PASSKEY_REQUIRED: 403,
  PASSKEY_INVALID: 401,
  SESSION_EXPIRED: 401,
  CSRF_REJECTED: 403,
  TELEPHONY_SIGNATURE_INVALID: 403,
  FORBIDDEN: 403,
  CALL_LOCKED: 403,
  OUTSIDE_CALLING_WINDOW: 403,
  DO_NOT_CALL: 403,
  CAMPAIGN_PAUSED: 403,
  NOT_FOUND: 404,
  TELEPHONY_NOT_CONFIGURED: 404,
  INVITATION_INVALID: 404,
  CONFLICT: 409,
  STORY_HAS_PERSONAL_DETAILS: 409,
  OFFER_GONE: 409,
  DEMO_MODE_OFF: 404,
  USERNAME_TAKEN: 409,
  ALREADY_ENROLLED: 409,
  PAYLOAD_TOO_LARGE: 413,
  ACCOUNT_LOCKED: 429,
  RATE_LIMITED: 429,
  KEY_MISSING: 500,
  INTERNAL: 500,
} as const;

/** A string code naming what went wrong. */
export type ErrorCode = keyof typeof ErrorCodes;

/** The one error type the domain throws on purpose. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra facts safe to show (ids, limits, field names); never personal data. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message ?? code, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ErrorCodes[this.code];
  }
}

/** True when `error` is an AppError (optionally with the given code). */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
