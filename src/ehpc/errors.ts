// Every failure of an EHPC call becomes one EhpcError: a kind the UI can act on, the
// ret_code and HTTP status when there are any, and a sentence that says what to do.
// Messages never carry URLs: a request URL holds the access key id and the signature.
// The sentence is an English template with {0}-style arguments, so that the UI can show
// it translated (vscode.l10n.t(template, ...args)) while this module stays vscode-free.

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
  | 'signedOut'
  | 'cancelled' // stopped by the caller (a sign-out, a closed view) before it finished
  | 'keyring'; // the OS secret store VS Code uses failed

export type MessageArg = string | number;

export class EhpcError extends Error {
  constructor(
    readonly kind: EhpcErrorKind,
    readonly template: string,
    readonly args: readonly MessageArg[] = [],
    readonly details: { retCode?: number; httpStatus?: number; clockSkewSeconds?: number } = {},
  ) {
    super(formatMessage(template, args));
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
    return this.kind === 'busy' || this.kind === 'timeout' || this.kind === 'network';
  }
}

/** Fills `{0}`, `{1}`, … as vscode.l10n.t does. */
export function formatMessage(template: string, args: readonly MessageArg[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}

/**
 * Maps a non-zero ret_code to an error; `serverMessage` is the API's own text, kept as a hint.
 * Without one, the sentence goes without the hint rather than with an English filler word.
 */
export function errorForRetCode(
  retCode: number,
  serverMessage: string | undefined,
  httpStatus: number,
  clockSkewSeconds?: number,
): EhpcError {
  const hint = serverMessage?.slice(0, 200) || undefined;
  const args = hint ? [hint] : [];
  const details = { retCode, httpStatus, clockSkewSeconds };
  switch (retCode) {
    case 1100:
      return new EhpcError('badRequest', hint ? 'The EHPC API rejected a parameter: {0}' : 'The EHPC API rejected a parameter.', args, details);
    case 1200:
      return new EhpcError('auth', 'Authentication failed: the access key is wrong or was revoked. Sign in again with a valid key.', [], details);
    case 1300:
      if (clockSkewSeconds !== undefined && Math.abs(clockSkewSeconds) >= 1) {
        const minutes = Math.round(Math.abs(clockSkewSeconds) / 60);
        const seconds = Math.round(Math.abs(clockSkewSeconds));
        const template = clockSkewSeconds > 0
          ? minutes >= 2 ? 'The request expired: this computer\'s clock is {0} minutes ahead of the server\'s. Synchronize the system clock and try again.' : 'The request expired: this computer\'s clock is {0} seconds ahead of the server\'s. Synchronize the system clock and try again.'
          : minutes >= 2 ? 'The request expired: this computer\'s clock is {0} minutes behind the server\'s. Synchronize the system clock and try again.' : 'The request expired: this computer\'s clock is {0} seconds behind the server\'s. Synchronize the system clock and try again.';
        return new EhpcError('clock', template, [minutes >= 2 ? minutes : seconds], details);
      }
      return new EhpcError('clock', 'The request expired: this computer\'s clock differs from the server\'s by more than 60 seconds. Synchronize the system clock and try again.', [], details);
    case 1400:
      if (hint && /suspended/i.test(hint)) {
        // The key may do it; the cluster does not take jobs now.
        const cluster = /\b(e?hpc-[A-Za-z0-9]+)\b/.exec(hint)?.[1];
        return cluster
          ? new EhpcError('denied', 'Cluster {0} is suspended and does not accept jobs.', [cluster], details)
          : new EhpcError('denied', 'The cluster is suspended and does not accept jobs.', [], details);
      }
      return new EhpcError('denied', hint ? 'Access denied: this key may not do that ({0}).' : 'Access denied: this key may not do that.', args, details);
    case 2100:
      return new EhpcError('notFound', hint ? 'Not found: the cluster or job no longer exists ({0}).' : 'Not found: the cluster or job no longer exists.', args, details);
    case 2500:
      return new EhpcError('quota', 'API quota exceeded (2000 calls per hour). Wait a while, then try again.', [], details);
    case 5100:
      return new EhpcError('busy', 'The EHPC service is busy. Try again in a moment.', [], details);
    case 5300:
      return new EhpcError('busy', 'The EHPC service is being updated. Try again later.', [], details);
    default:
      return new EhpcError('server', hint ? 'The EHPC service returned error {0} ({1}).' : 'The EHPC service returned error {0}.', [retCode, ...args], details);
  }
}

/** An HTTP error whose body was not an API answer (a proxy's HTML page, say). */
export function errorForHttpStatus(status: number): EhpcError {
  const details = { httpStatus: status };
  if (status === 502 || status === 503 || status === 504) {
    return new EhpcError('busy', 'The EHPC endpoint is unavailable (HTTP {0}). Try again in a moment.', [status], details);
  }
  if (status === 429) {
    return new EhpcError('quota', 'Too many requests (HTTP 429). Wait a while, then try again.', [], details);
  }
  if (status === 404) {
    return new EhpcError('config', 'The endpoint does not serve the EHPC API (HTTP 404). Check the "ehpc.endpoint" setting.', [], details);
  }
  return new EhpcError('server', 'The EHPC endpoint answered HTTP {0}.', [status], details);
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

/** Turns a thrown fetch/socket error into an EhpcError without echoing its message (it holds the URL). */
export function errorForNetworkFailure(error: unknown, host: string, timedOut: boolean, timeoutMs: number): EhpcError {
  if (error instanceof EhpcError) {
    return error;
  }
  if (timedOut) {
    return new EhpcError('timeout', '{0} did not answer within {1} seconds. Check your network and try again.', [host, Math.round(timeoutMs / 1000)]);
  }
  const code = (error as { code?: string } | undefined)?.code ?? '';
  if (TLS_CODES.test(code)) {
    return new EhpcError('tls', 'The TLS certificate of {0} is not trusted ({1}). Check the "ehpc.endpoint" setting or your proxy.', [host, code]);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new EhpcError('network', 'Cannot resolve {0}. Check your network and the "ehpc.endpoint" setting.', [host]);
  }
  if (code === 'ECONNREFUSED') {
    return new EhpcError('network', '{0} refused the connection. Check the "ehpc.endpoint" setting.', [host]);
  }
  return code
    ? new EhpcError('network', 'The connection to {0} failed ({1}). Check your network and try again.', [host, code])
    : new EhpcError('network', 'The connection to {0} failed. Check your network and try again.', [host]);
}
