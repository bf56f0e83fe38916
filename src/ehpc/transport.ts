// How a request travels: signed, timed out, retried when it is a read, paused after the quota error, cancelled.
import { setMaxListeners } from 'events';
import type NodeFetch from 'node-fetch';
import { parseEndpoint } from './endpoint';
import { EhpcError, errorForHttpStatus, errorForNetworkFailure, errorForRetCode } from './errors';
import { parseBody } from './parse';
import { Credentials, QueryParams, signRequest } from './signing';

export interface RequestRecord {
  method: string;
  path: string;
  zone: string;
  retCode?: number;
  httpStatus?: number;
  durationMs: number;
  error?: EhpcError;
}

/** How requests are sent: where, with which key, how patiently. */
export interface TransportOptions {
  endpoint: string;
  credentials: Credentials;
  /** Per request; the default suits a slow link to a far region. */
  timeoutMs?: number;
  now?: () => Date;
  /** Called once per request, for the log. Receives no secrets. */
  onRequest?: (record: RequestRecord) => void;
  /** Retries of reads (GET) on transient failures; writes are never sent twice. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** How long every request waits after the server says the API quota is used up. */
  quotaPauseMs?: number;
  /** The back-off between retries; `signal` aborts when the call is cancelled. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** One request as `request` and `send` take it. */
export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Below the endpoint's base path: `/api/...`. */
  path: string;
  /** For the log; GET carries it in `query`, POST in `body`. */
  zone: string;
  query?: QueryParams;
  /** POST only: sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  onSend?: () => void;
}

/** Sends signed requests: the retries of reads, the quota pause, time-outs and cancelling. */
export class Transport {
  private readonly base: { origin: string; basePath: string; host: string };
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Until when requests wait out a quota error (2500), in Date.now() time. */
  private pausedUntil = 0;
  /** Aborted by dispose(): every call under way, and every later one, stops. */
  private readonly disposed = new AbortController();

  constructor(private readonly options: TransportOptions) {
    this.base = parseEndpoint(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? sleepUnlessAborted;
    // Every call listens for dispose(); many at once are no leak.
    setMaxListeners(0, this.disposed.signal);
  }

  /**
   * Stops for good (a sign-out, a key replaced): back-off sleeps and reads under
   * way end at once with a 'cancelled' error, and nothing more is sent. A write already on
   * the wire is left to finish: aborting it would not take it back, only hide its outcome.
   */
  dispose(): void {
    this.disposed.abort();
  }

  /**
   * Sends a request. A read that fails in a way that may pass (busy, 5xx, reset, time-out)
   * is sent again after an exponential, jittered back-off, a bounded number of times. A
   * write is sent once: if its outcome is unknown, the caller lists again instead.
   */
  async request(request: ApiRequest): Promise<Record<string, unknown>> {
    const { attempts = 3, baseDelayMs = 500, maxDelayMs = 8000 } = this.options.retry ?? {};
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(request);
      } catch (error) {
        if (request.method !== 'GET' || attempt >= attempts || !isRetryable(error)) {
          throw error;
        }
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        await this.backOff(delay / 2 + Math.random() * (delay / 2), request.signal);
      }
    }
  }

  /** Sleeps, unless the call or the client is cancelled first: then it throws at once. */
  private async backOff(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const cancel = new AbortController();
    const stop = onAbort([this.disposed.signal, signal], () => cancel.abort());
    try {
      // Raced, so that even a sleep that ignores the signal cannot hold the call.
      await Promise.race([this.sleep(ms, cancel.signal), aborted(cancel.signal)]);
    } finally {
      stop();
    }
  }

  private async send({ method, path, zone, query = {}, body: jsonBody, signal, onSend }: ApiRequest): Promise<Record<string, unknown>> {
    if (this.disposed.signal.aborted || signal?.aborted) {
      throw cancelledError();
    }
    const waitSeconds = Math.ceil((this.pausedUntil - Date.now()) / 1000);
    if (waitSeconds > 0) {
      // The server said the hourly quota is used up: asking again now only makes it worse.
      throw new EhpcError('quota', 'API quota exceeded (2000 calls per hour). Requests are paused; try again in {0} seconds.', [waitSeconds], { retCode: 2500 });
    }
    const body = jsonBody === undefined ? '' : JSON.stringify(jsonBody);
    const fullPath = this.base.basePath + path;
    const sentAt = this.now();
    const { query: signedQuery } = signRequest(method, fullPath, query, body, this.options.credentials, sentAt);
    const url = `${this.base.origin}${fullPath}?${signedQuery}`;
    const record: RequestRecord = { method, path, zone, durationMs: 0 };
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    let cancelled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    // A write on the wire is not aborted (see dispose); a read is, by the client or the call.
    const stopListening = onAbort(method === 'GET' ? [this.disposed.signal, signal] : [], () => {
      cancelled = true;
      controller.abort();
    });
    try {
      const fetch = await loadFetch();
      onSend?.();
      const response = await fetch(url, {
        method,
        body: method === 'POST' ? body : undefined,
        headers: method === 'POST' ? { 'Content-Type': 'application/json' } : {},
        signal: controller.signal,
        redirect: 'error',
      });
      record.httpStatus = response.status;
      const text = await response.text();
      const parsed = tryParse(text);
      if (parsed && typeof parsed.ret_code === 'number') {
        record.retCode = parsed.ret_code;
        if (parsed.ret_code === 2500) {
          this.pausedUntil = Date.now() + (this.options.quotaPauseMs ?? 60_000);
        }
        if (parsed.ret_code !== 0) {
          const message = typeof parsed.message === 'string' ? parsed.message : undefined;
          throw errorForRetCode(parsed.ret_code, message, response.status, clockSkew(response.headers.get('date'), sentAt));
        }
      }
      if (!response.ok) {
        throw errorForHttpStatus(response.status);
      }
      if (!parsed) {
        return parseBody(text); // throws the right badResponse error
      }
      if (typeof parsed.ret_code !== 'number') {
        throw new EhpcError('badResponse', 'The EHPC service sent an answer without ret_code. Check the "ehpc.endpoint" setting.');
      }
      return parsed;
    } catch (error) {
      record.error = cancelled && !(error instanceof EhpcError) ? cancelledError() : errorForNetworkFailure(error, this.base.host, timedOut, this.timeoutMs);
      throw record.error;
    } finally {
      clearTimeout(timer);
      stopListening();
      record.durationMs = Date.now() - started;
      this.options.onRequest?.(record);
    }
  }
}

function cancelledError(): EhpcError {
  return new EhpcError('cancelled', 'The EHPC request was cancelled.');
}

/** Calls `listener` once when any of `signals` aborts (at once if one has); returns the unsubscribe. */
function onAbort(signals: readonly (AbortSignal | undefined)[], listener: () => void): () => void {
  const live = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (live.some((signal) => signal.aborted)) {
    listener();
    return () => undefined;
  }
  const once = () => {
    stop();
    listener();
  };
  const stop = () => live.forEach((signal) => signal.removeEventListener('abort', once));
  live.forEach((signal) => signal.addEventListener('abort', once));
  return stop;
}

/** Rejects with the cancelled error when `signal` aborts; never resolves. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => onAbort([signal], () => reject(cancelledError())));
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    onAbort([signal], () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Failures worth another try without changing anything. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof EhpcError)) {
    return false;
  }
  switch (error.kind) {
    case 'busy':
    case 'timeout':
    case 'network':
      return true;
    case 'server':
      return error.retCode === 5000 || (error.httpStatus ?? 0) >= 500;
    default:
      return false;
  }
}

function tryParse(text: string): Record<string, unknown> | undefined {
  try {
    return parseBody(text);
  } catch {
    return undefined;
  }
}

/** Local clock minus the server's, in seconds, from the answer's Date header. */
function clockSkew(dateHeader: string | null, sentAt: Date): number | undefined {
  const serverTime = dateHeader ? Date.parse(dateHeader) : NaN;
  return Number.isNaN(serverTime) ? undefined : (sentAt.getTime() - serverTime) / 1000;
}

let fetchModule: Promise<typeof NodeFetch> | undefined;

/** node-fetch, and with it Node's http, https and zlib, loads on the first request: not during activation. */
function loadFetch(): Promise<typeof NodeFetch> {
  fetchModule ??= import('node-fetch').then((module) => module.default);
  return fetchModule;
}
