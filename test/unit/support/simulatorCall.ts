// Talking to the simulator over real HTTP in unit tests: requests signed with the extension's
// own signing code (the simulator checks them with its own), on a clock the test may move.
import { signRequest, type QueryParams } from '../../../src/ehpc/signing';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../simulator/server';

export interface CallOptions {
  secretAccessKey?: string;
  accessKeyId?: string;
  /** The client's clock. */
  now?: Date;
  /** Rewrites the signed query before sending (to break it on purpose). */
  tamper?: (query: string) => string;
}

export interface Answer {
  status: number;
  date: string | null;
  json: Record<string, any>;
}

/** One signed call; `body` as given when a string (malformed on purpose), else as JSON. */
export async function call(
  sim: Simulator,
  method: 'GET' | 'POST',
  path: string,
  params: QueryParams,
  body?: unknown,
  opts: CallOptions = {},
): Promise<Answer> {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const credentials = {
    accessKeyId: opts.accessKeyId ?? sim.accessKeyId,
    secretAccessKey: opts.secretAccessKey ?? sim.secretAccessKey,
  };
  const { query } = signRequest(method, path, params, text, credentials, opts.now ?? new Date());
  const res = await fetch(`${sim.endpoint}${path}?${opts.tamper ? opts.tamper(query) : query}`, {
    method,
    body: method === 'POST' ? text : undefined,
    headers: method === 'POST' ? { 'Content-Type': 'application/json' } : undefined,
  });
  return { status: res.status, date: res.headers.get('date'), json: (await res.json()) as Record<string, any> };
}

/** A clock the test moves by hand, for the simulator and the client alike. */
export function manualClock(start: string): { now: () => Date; advance: (ms: number) => void } {
  let ms = Date.parse(start);
  return { now: () => new Date(ms), advance: (by) => (ms += by) };
}

/**
 * A one-zone simulator on a hand-moved clock (closed by `stop()`), its first cluster, and
 * calls to it signed on that clock; a POST names the zone and that cluster unless told.
 */
export async function simulatorOnClock(start: string, zone: string, options: SimulatorOptions) {
  const clock = manualClock(start);
  const sim = await startSimulator({ zones: [zone], now: clock.now, ...options });
  const clusterId = sim.clusters(zone)[0].cluster_id;
  const get = (path: string, params: QueryParams) => call(sim, 'GET', path, { zone, ...params }, undefined, { now: clock.now() });
  const post = (path: string, body: Record<string, unknown>) => call(sim, 'POST', path, {}, { zone, cluster_id: clusterId, ...body }, { now: clock.now() });
  return { sim, clock, clusterId, get, post };
}
