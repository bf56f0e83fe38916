// Every failure of an EHPC call becomes one EhpcError: a kind the UI can act on, the
// ret_code and HTTP status when there are any, and a sentence that says what to do.
// Messages never carry URLs: a request URL holds the access key id and the signature.

export type EhpcErrorKind =
  | 'badRequest' // 1100
  | 'auth' // 1200: wrong key or signature
  | 'clock' // 1300: request expired, the local clock is off
  | 'denied' // 1400
  | 'notFound' // 2100
  | 'quota' // 2500
  | 'busy' // 5100, 5300 and other retryable server states
  | 'server' // 5000, other ret_codes, HTTP errors
  | 'badResponse' // not JSON, or JSON of the wrong shape
  | 'timeout'
  | 'network'
  | 'tls'
  | 'config' // a bad endpoint setting
  | 'signedOut';

export class EhpcError extends Error {
  constructor(
    readonly kind: EhpcErrorKind,
    message: string,
    readonly details: { retCode?: number; httpStatus?: number; clockSkewSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'EhpcError';
  }

  get retCode(): number | undefined {
    return this.details.retCode;
  }

  get httpStatus(): number | undefined {
    return this.details.httpStatus;
  }

  /** Worth retrying later without changing anything. */
  get transient(): boolean {
    return this.kind === 'busy' || this.kind === 'timeout' || this.kind === 'network' || this.kind === 'quota';
  }
}

/** Maps a non-zero ret_code to an error; `serverMessage` is the API's own text, kept as a hint. */
export function errorForRetCode(
  retCode: number,
  serverMessage: string | undefined,
  httpStatus: number,
  clockSkewSeconds?: number,
): EhpcError {
  const hint = serverMessage ? ` (server: ${serverMessage.slice(0, 200)})` : '';
  const details = { retCode, httpStatus, clockSkewSeconds };
  switch (retCode) {
    case 1100:
      return new EhpcError('badRequest', `The EHPC API rejected a parameter${hint}.`, details);
    case 1200:
      return new EhpcError(
        'auth',
        'Authentication failed: the access key is wrong or was revoked. Sign in again with a valid key.',
        details,
      );
    case 1300: {
      const skew =
        clockSkewSeconds !== undefined && Math.abs(clockSkewSeconds) >= 1
          ? ` Your clock is ${describeSkew(clockSkewSeconds)}.`
          : '';
      return new EhpcError(
        'clock',
        `The request expired: this computer's clock differs from the server's by more than 60 seconds.${skew} Synchronize the system clock and try again.`,
        details,
      );
    }
    case 1400:
      return new EhpcError('denied', `Access denied: this key may not do that${hint}.`, details);
    case 2100:
      return new EhpcError('notFound', `Not found: the cluster or job no longer exists${hint}.`, details);
    case 2500:
      return new EhpcError(
        'quota',
        'API quota exceeded (2000 calls per hour). Wait a while, then try again.',
        details,
      );
    case 5100:
      return new EhpcError('busy', 'The EHPC service is busy. Try again in a moment.', details);
    case 5300:
      return new EhpcError('busy', 'The EHPC service is being updated. Try again later.', details);
    default:
      return new EhpcError('server', `The EHPC service returned error ${retCode}${hint}.`, details);
  }
}

function describeSkew(seconds: number): string {
  const abs = Math.abs(Math.round(seconds));
  const amount = abs >= 120 ? `${Math.round(abs / 60)} minutes` : `${abs} seconds`;
  return seconds > 0 ? `${amount} ahead` : `${amount} behind`;
}

/** An HTTP error whose body was not an API answer (a proxy's HTML page, say). */
export function errorForHttpStatus(status: number): EhpcError {
  if (status === 502 || status === 503 || status === 504) {
    return new EhpcError('busy', `The EHPC endpoint is unavailable (HTTP ${status}). Try again in a moment.`, {
      httpStatus: status,
    });
  }
  if (status === 429) {
    return new EhpcError('quota', 'Too many requests (HTTP 429). Wait a while, then try again.', { httpStatus: status });
  }
  if (status === 404) {
    return new EhpcError('config', 'The endpoint does not serve the EHPC API (HTTP 404). Check the "ehpc.endpoint" setting.', {
      httpStatus: status,
    });
  }
  return new EhpcError('server', `The EHPC endpoint answered HTTP ${status}.`, { httpStatus: status });
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

/** Turns a thrown fetch/socket error into an EhpcError without echoing its message (it holds the URL). */
export function errorForNetworkFailure(error: unknown, host: string, timedOut: boolean, timeoutMs: number): EhpcError {
  if (error instanceof EhpcError) {
    return error;
  }
  if (timedOut) {
    return new EhpcError('timeout', `${host} did not answer within ${Math.round(timeoutMs / 1000)} seconds. Check your network and try again.`);
  }
  const code = (error as { code?: string } | undefined)?.code ?? '';
  if (TLS_CODES.test(code)) {
    return new EhpcError('tls', `The TLS certificate of ${host} is not trusted (${code}). Check the "ehpc.endpoint" setting or your proxy.`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new EhpcError('network', `Cannot resolve ${host}. Check your network and the "ehpc.endpoint" setting.`);
  }
  if (code === 'ECONNREFUSED') {
    return new EhpcError('network', `${host} refused the connection. Check the "ehpc.endpoint" setting.`);
  }
  const reason = code ? ` (${code})` : '';
  return new EhpcError('network', `The connection to ${host} failed${reason}. Check your network and try again.`);
}
