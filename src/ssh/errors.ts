// What went wrong on the way to a login node, in kinds the layers above act on: a dropped
// connection is tried again, a refused login or host key never is (accounts with login
// limits lock, and a changed key may be an attack).

export type SshErrorKind =
  /** The login was refused: no method left, or the password or key was wrong. */
  | 'auth'
  /** The host's key was not accepted: changed, revoked, or the user said no. */
  | 'hostKey'
  /** The user closed a prompt (password, passphrase): nothing to retry. */
  | 'cancelled'
  /** No connection: the host does not answer, refuses, or its name is unknown. */
  | 'unreachable'
  /** A connection that worked was lost (network, keep-alive, the server closed it). */
  | 'dropped'
  /** The server refused a file operation (no such file, permission). */
  | 'file';

export class SshError extends Error {
  /** For 'file': the SFTP status code (2: no such file, 3: permission denied). */
  readonly code?: number;
  /** For 'auth': a password was sent, so a kept one may be what is wrong. */
  readonly passwordSent?: boolean;
  /** For 'auth' and 'hostKey' on the way through a jump host: that host, `user@host:port`, not the node. */
  readonly jumpHost?: string;
  /** For 'unreachable': the ProxyCommand that was the way to `host` ended (or could not run) before the connection was made. */
  readonly proxyFailure?: ProxyFailure;

  constructor(readonly kind: SshErrorKind, message: string, details: { code?: number; passwordSent?: boolean; jumpHost?: string; proxyFailure?: ProxyFailure } = {}) {
    super(message);
    this.name = 'SshError';
    this.code = details.code;
    this.passwordSent = details.passwordSent;
    this.jumpHost = details.jumpHost;
    this.proxyFailure = details.proxyFailure;
  }
}

/** How a ProxyCommand failed: its exit code or signal; neither when it could not be run at all. */
export interface ProxyFailure {
  /** `host:port` the command was the way to. */
  host: string;
  exitCode?: number;
  signal?: string;
  /** Not run: this platform has no /bin/sh to run it with. */
  unsupported?: boolean;
}

/** Whether another try may work: only a connection lost or not made. */
export function retryable(error: unknown): boolean {
  return error instanceof SshError && (error.kind === 'dropped' || error.kind === 'unreachable');
}

/** ssh2's error as one of ours; its `level` tells where it came from. */
export function sshErrorOf(error: unknown, connected: boolean, login: { passwordSent: boolean; cancelled: boolean; attempted?: boolean; failure?: unknown } = { passwordSent: false, cancelled: false }): SshError {
  if (error instanceof SshError) {
    return error;
  }
  if (login.failure !== undefined) {
    return sshErrorOf(login.failure, connected);
  }
  const err = error as Error & { level?: string; code?: string };
  const message = err?.message ?? String(error);
  // A server that ends the connection after refusing logins (sshd's MaxAuthTries: "Too many
  // authentication failures") refused the login: trying again would lock the account.
  if (err?.level === 'client-authentication' || /too many authentication failures/i.test(message) || (!connected && login.attempted && err?.level !== 'handshake')) {
    return login.cancelled ? new SshError('cancelled', message) : new SshError('auth', message, { passwordSent: login.passwordSent });
  }
  if (err?.level === 'handshake' && /verification failed/i.test(message)) {
    return new SshError('hostKey', message);
  }
  return new SshError(connected ? 'dropped' : 'unreachable', message);
}
