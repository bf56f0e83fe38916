// The order a login is tried in, as OpenSSH tries it: the agent's keys, the user's key files
// (asking a passphrase for an encrypted one), then a password (also for a keyboard-interactive
// "Password:" prompt). Each method once: a login that fails is not tried again by itself.
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, NextAuthHandler, ParsedKey } from 'ssh2';
import type { Ssh2Module } from './load';

export interface KeyFile {
  path: string;
  data: Buffer;
}

/** What the user has: an agent, key files; read by the caller. */
export interface AuthSources {
  /** The agent's socket (SSH_AUTH_SOCK) or Windows pipe. */
  agent?: string;
  keyFiles: readonly KeyFile[];
}

/** What the user is asked; undefined is "skip this" (a key) or "give up" (a password). */
export interface AuthPrompts {
  passphrase(keyPath: string, again: boolean): Promise<string | undefined>;
  /** The password kept for this login, or one the user types. */
  password(): Promise<string | undefined>;
  /** A keyboard-interactive question other than the password (a one-time code, say). */
  answer(question: string, echo: boolean): Promise<string | undefined>;
}

/** What the handler used, so that a refused login can be told apart (the password was wrong). */
export interface AuthTrace {
  passwordSent: boolean;
  cancelled: boolean;
  /** A login method was offered: a connection closed after this was refused, not lost. */
  attempted?: boolean;
  /** A prompt failed (the keyring could not be read, say): the login ends, saying why. */
  failure?: unknown;
}

const PASSPHRASE_TRIES = 3;

export function authHandler(ssh2: Ssh2Module, username: string, sources: AuthSources, prompts: AuthPrompts, trace: AuthTrace): AuthHandlerMiddleware {
  const tried = new Set<string>();
  let password: Promise<string | undefined> | undefined;
  const askPassword = () => {
    password ??= prompts.password().then((value) => {
      trace.cancelled ||= value === undefined;
      return value;
    });
    return password;
  };

  const methods: (() => Promise<AnyAuthMethod | undefined>)[] = [
    async () => (sources.agent ? { type: 'agent', username, agent: sources.agent } : undefined),
    ...sources.keyFiles.map((file) => () => keyMethod(ssh2, username, file, prompts)),
    async () => {
      const value = await askPassword();
      if (value === undefined) {
        return undefined;
      }
      trace.passwordSent = true;
      return { type: 'password', username, password: value };
    },
    // The same password is not sent twice: a server that refused it as `password` is not
    // answered it again at a keyboard-interactive "Password:" prompt.
    async () => (trace.passwordSent ? undefined : {
      type: 'keyboard-interactive',
      username,
      prompt: (_name, _instructions, _lang, questions, finish) => {
        void Promise.all(
          questions.map((q) => (!q.echo && /password/i.test(q.prompt) ? askPassword().then((v) => ((trace.passwordSent ||= v !== undefined), v)) : prompts.answer(q.prompt, q.echo ?? false))),
        ).then(
          (answers) => finish(answers.map((a) => a ?? '')),
          (error: unknown) => {
            trace.failure ??= error;
            finish([]);
          },
        );
      },
    }),
  ];
  const typeOf: AuthenticationType[] = ['agent', ...sources.keyFiles.map((): AuthenticationType => 'publickey'), 'password', 'keyboard-interactive'];

  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    if (methodsLeft === null) {
      // First, as OpenSSH does, ask which methods the server takes: a password is then never
      // sent to a server that takes only keyboard-interactive, and sent there only once.
      return next({ type: 'none', username });
    }
    void (async () => {
      for (let i = 0; i < methods.length; i++) {
        const key = String(i);
        // The server names what it still takes; the agent and key files are public keys to it.
        const type = typeOf[i] === 'agent' ? 'publickey' : typeOf[i];
        if (tried.has(key) || !methodsLeft.includes(type)) {
          continue;
        }
        tried.add(key);
        if (trace.cancelled || trace.failure !== undefined) {
          break;
        }
        let method: AnyAuthMethod | undefined;
        try {
          method = await methods[i]();
        } catch (error) {
          trace.failure = error; // never a login left waiting for an answer that will not come
          break;
        }
        if (method) {
          trace.attempted = true;
          return next(method);
        }
      }
      return next(false as unknown as AuthenticationType);
    })();
  };
}

/** A key file as a publickey method, asking its passphrase when it is encrypted; undefined: skip it. */
async function keyMethod(ssh2: Ssh2Module, username: string, file: KeyFile, prompts: AuthPrompts): Promise<AnyAuthMethod | undefined> {
  const plain = ssh2.utils.parseKey(file.data);
  if (!(plain instanceof Error)) {
    return { type: 'publickey', username, key: first(plain) };
  }
  if (!/encrypted/i.test(plain.message) && !/passphrase/i.test(plain.message)) {
    return undefined; // not a key this library reads: the next one
  }
  for (let attempt = 0; attempt < PASSPHRASE_TRIES; attempt++) {
    const passphrase = await prompts.passphrase(file.path, attempt > 0);
    if (passphrase === undefined) {
      return undefined;
    }
    const parsed = ssh2.utils.parseKey(file.data, passphrase);
    if (!(parsed instanceof Error)) {
      return { type: 'publickey', username, key: first(parsed) };
    }
  }
  return undefined;
}

function first(parsed: ParsedKey | ParsedKey[]): ParsedKey {
  return Array.isArray(parsed) ? parsed[0] : parsed;
}
