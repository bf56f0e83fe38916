// Waiting for the asynchronous operations an action started (stopJobs answers with an
// operation id, and the jobs keep running until the scheduler has stopped them).
import { Settled } from './batch';
import { EhpcClient } from './client';

export interface WaitOptions {
  /** Stops waiting (as if the wait ran out) once this is false: after a sign-out. */
  mayContinue: () => boolean;
  /** The first pause between polls; each next one doubles, up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Polls the operations until all succeeded, one failed, or the wait runs out ('pending').
 * A poll that fails (the client has retried it already) ends the wait as 'pending': the jobs
 * are looked up afterwards anyway, and one still running is then reported as still stopping.
 */
export async function waitForOperations(
  client: Pick<EhpcClient, 'operationStatus'>,
  zone: string,
  operationIds: readonly string[],
  { mayContinue, intervalMs = 500, maxIntervalMs = 4000, timeoutMs = 60_000, sleep = delay, now = Date.now }: WaitOptions,
): Promise<Settled> {
  const deadline = now() + timeoutMs;
  let open = [...operationIds];
  let pause = intervalMs; // a quick stop is seen quickly; a slow one costs few polls
  for (;;) {
    const statuses = await Promise.all(open.map((id) => client.operationStatus(zone, id).catch(() => 'unreadable' as const)));
    if (statuses.includes('unreadable')) {
      return 'pending';
    }
    if (statuses.includes('failed')) {
      return 'failed';
    }
    open = open.filter((_, i) => statuses[i] !== 'successful');
    if (open.length === 0) {
      return 'successful';
    }
    if (now() + pause > deadline || !mayContinue()) {
      return 'pending';
    }
    await sleep(pause);
    pause = Math.min(maxIntervalMs, pause * 2);
    if (!mayContinue()) {
      return 'pending';
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
