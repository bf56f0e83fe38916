// Errors the simulator answers with: JSON { ret_code, message }, as the real API does.

/** The ret_codes the simulator produces itself (see the API's error code page). */
export const RetCode = {
  BadParameter: 1100,
  AuthFailed: 1200,
  Expired: 1300,
  /** Also: the resource is in a state that does not allow the change. */
  AccessDenied: 1400,
  NotFound: 2100,
  QuotaExceeded: 2500,
  Internal: 5000,
} as const;

export class ApiError extends Error {
  constructor(
    readonly retCode: number,
    message: string,
    /** The real API answers ret_code errors with HTTP 200; only routing errors differ. */
    readonly httpStatus = 200,
  ) {
    super(message);
  }
}
