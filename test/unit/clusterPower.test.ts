// Start and Stop for clusters picked across accounts and zones: one request per account and
// zone, the operations followed on a fake clock, and each cluster told what a fresh list says.
import * as assert from 'assert/strict';
import { follow, planPower, PowerClient, PowerCluster, PowerSteps, runPower } from '../../src/clusters/power';
import { EhpcError } from '../../src/ehpc/errors';
import { Cluster, OperationState } from '../../src/ehpc/types';

const cluster = (clusterId: string, status: string, extra: Partial<PowerCluster> = {}): PowerCluster => ({ account: 'main', zone: 'jn1a', clusterId, name: clusterId, status, ...extra });

type Answer = OperationState | Error;

/**
 * A fake world: each request answers the next operation id (or an error); each operation
 * answers its states in turn, the last repeated; the list answers what `listed` holds then.
 */
function world(options: { operations?: Record<string, Answer[]>; listed?: Record<string, Partial<Cluster>[]> | (() => Record<string, Partial<Cluster>[]>); refuse?: Error; listError?: Error } = {}) {
  let clock = 0;
  let nextOperation = 1;
  const log: string[] = [];
  const client = (account: string): PowerClient => {
    const power = async (verb: string, zone: string, ids: readonly string[]) => {
      log.push(`${clock} ${account} ${verb} ${zone} ${ids.join(',')}`);
      if (options.refuse) {
        throw options.refuse;
      }
      return `j-op${nextOperation++}`;
    };
    return {
      startClusters: (zone, ids) => power('start', zone, ids),
      stopClusters: (zone, ids) => power('stop', zone, ids),
      operation: async (_zone, id) => {
        log.push(`${clock} poll ${id}`);
        const answers = options.operations?.[id] ?? [{ status: 'successful' }];
        const answer = answers.length > 1 ? answers.shift()! : answers[0];
        if (answer instanceof Error) {
          throw answer;
        }
        return answer;
      },
      listAllClusters: async (zone) => {
        log.push(`${clock} ${account} list ${zone}`);
        if (options.listError) {
          throw options.listError;
        }
        const listed = typeof options.listed === 'function' ? options.listed() : options.listed ?? {};
        return (listed[`${account}/${zone}`] ?? []).map((item) => ({ account, zone, name: item.clusterId!, status: 'unknown', clusterId: '', ...item }));
      },
    };
  };
  const steps: PowerSteps = {
    client,
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    intervalMs: 1000,
    maxIntervalMs: 4000,
    timeoutMs: 20_000,
  };
  return { steps, log, polls: () => log.filter((line) => line.includes(' poll ')) };
}

describe('planning Start and Stop for picked clusters', () => {
  it('groups the clusters into one request per account and zone, repeated picks once', () => {
    const plan = planPower('stop', [
      cluster('ehpc-a1', 'active'),
      cluster('ehpc-b1', 'active', { zone: 'pek3' }),
      cluster('ehpc-a2', 'active'),
      cluster('ehpc-a1', 'active'),
      cluster('ehpc-a1', 'active', { account: 'other' }),
    ]);
    assert.deepEqual(plan.groups.map((group) => [group.account, group.zone, group.requests.map((request) => request.clusters.map((c) => c.clusterId))]), [
      ['main', 'jn1a', [['ehpc-a1', 'ehpc-a2']]],
      ['main', 'pek3', [['ehpc-b1']]],
      ['other', 'jn1a', [['ehpc-a1']]],
    ]);
    assert.equal(plan.order.length, 4);
  });

  it('leaves out clusters already there, on their way, or in a state the action does not apply to, with the reason', () => {
    const plan = planPower('stop', [
      cluster('ehpc-s1', 'stopped'),
      cluster('ehpc-s2', 'active', { transitionStatus: 'stopping' }),
      cluster('ehpc-s3', 'stopped', { transitionStatus: 'starting' }),
      cluster('ehpc-p1', 'pending'),
      cluster('ehpc-u1', 'suspended'),
      cluster('ehpc-x1', 'weird'),
      cluster('ehpc-a1', 'active'),
    ]);
    assert.deepEqual(plan.skipped.map((skip) => [skip.cluster.clusterId, skip.reason, skip.state]), [
      ['ehpc-s1', 'already', 'stopped'],
      ['ehpc-s2', 'inTransition', 'stopping'],
      ['ehpc-s3', 'inTransition', 'starting'],
      ['ehpc-p1', 'notApplicable', 'pending'],
      ['ehpc-u1', 'notApplicable', 'suspended'],
      ['ehpc-x1', 'notApplicable', 'unknown'],
    ]);
    assert.deepEqual(plan.groups.flatMap((group) => group.requests.flatMap((request) => request.clusters.map((c) => c.clusterId))), ['ehpc-a1']);
    const start = planPower('start', [cluster('ehpc-a1', 'active'), cluster('ehpc-s1', 'stopped')]);
    assert.deepEqual(start.skipped.map((skip) => [skip.cluster.clusterId, skip.reason]), [['ehpc-a1', 'already']]);
  });

  it('splits a zone past the API\'s 100 ids per request', () => {
    const plan = planPower('start', Array.from({ length: 150 }, (_, i) => cluster(`ehpc-c${i}`, 'stopped')));
    assert.deepEqual(plan.groups[0].requests.map((request) => request.clusters.length), [100, 50]);
  });
});

describe('running Start and Stop', () => {
  it('stops two clusters in two zones with two requests, follows both operations, and says stopped once the list does', async () => {
    const { steps, log } = world({
      operations: { 'j-op1': [{ status: 'pending' }, { status: 'successful' }], 'j-op2': [{ status: 'successful' }] },
      listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'stopped' }], 'main/pek3': [{ clusterId: 'ehpc-b1', status: 'stopped' }] },
    });
    const accepted: string[] = [];
    const plan = planPower('stop', [cluster('ehpc-a1', 'active'), cluster('ehpc-b1', 'active', { zone: 'pek3' })]);
    const results = await runPower(plan, { ...steps, onAccepted: (request, id) => accepted.push(`${request.zone}:${id}`) });
    assert.deepEqual(results.map((r) => [r.cluster.clusterId, r.outcome, r.state, r.operationId]), [
      ['ehpc-a1', 'done', 'stopped', 'j-op1'],
      ['ehpc-b1', 'done', 'stopped', 'j-op2'],
    ]);
    assert.deepEqual(accepted, ['jn1a:j-op1', 'pek3:j-op2']);
    assert.equal(log.filter((line) => line.includes(' stop ')).length, 2, 'one request per zone');
    assert.deepEqual(log.filter((line) => line.includes(' list ')).map((line) => line.split(' ').slice(2).join(' ')).sort(), ['list jn1a', 'list pek3'], 'one look-up per zone');
  });

  it('polls with a growing pause and gives up at the bound, saying "still stopping", never failed', async () => {
    const { steps, polls } = world({ operations: { 'j-op1': [{ status: 'pending' }] }, listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active' }, { clusterId: 'ehpc-a2', status: 'active', transitionStatus: 'stopping' }] } });
    const results = await runPower(planPower('stop', [cluster('ehpc-a1', 'active'), cluster('ehpc-a2', 'active')]), steps);
    assert.deepEqual(results.map((r) => [r.outcome, r.state]), [['underWay', 'active'], ['underWay', 'stopping']]);
    // Pauses of 1, 2, then 4 s (the most): polls at 0, 1, 3, 7, 11, 15, 19 s; the next would pass 20 s.
    assert.deepEqual(polls().map((line) => Number(line.split(' ')[0]) / 1000), [0, 1, 3, 7, 11, 15, 19]);
  });

  it('tells a failed operation with its error codes while the list shows the cluster as it was', async () => {
    const { steps } = world({ operations: { 'j-op1': [{ status: 'pending' }, { status: 'failed', errorCodes: '5000' }] }, listed: { 'main/jn1a': [{ clusterId: 'ehpc-s1', status: 'stopped' }] } });
    const [result] = await runPower(planPower('start', [cluster('ehpc-s1', 'stopped')]), steps);
    assert.deepEqual([result.outcome, result.state, result.errorCodes], ['failed', 'stopped', '5000']);
  });

  it('believes the list over the operation: stopped is stopped, and a finished operation with the cluster still active is "not done"', async () => {
    const failedButStopped = world({ operations: { 'j-op1': [{ status: 'failed' }] }, listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'stopped' }] } });
    assert.equal((await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), failedButStopped.steps))[0].outcome, 'done');
    const successfulButActive = world({ listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active' }] } });
    const [result] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), successfulButActive.steps);
    assert.deepEqual([result.outcome, result.state], ['notDone', 'active']);
  });

  it('says a cluster the zone no longer lists is gone', async () => {
    const { steps } = world({ listed: { 'main/jn1a': [] } });
    assert.equal((await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), steps))[0].outcome, 'gone');
  });

  it('tells a refused request with its error, still looks the clusters up, and sends nothing more in that zone', async () => {
    const refusal = new EhpcError('denied', 'Access denied: this key may not do that.');
    const { steps, log } = world({ refuse: refusal, listed: { 'main/jn1a': Array.from({ length: 150 }, (_, i) => ({ clusterId: `ehpc-c${i}`, status: 'active' })) } });
    const results = await runPower(planPower('stop', Array.from({ length: 150 }, (_, i) => cluster(`ehpc-c${i}`, 'active'))), steps);
    assert.equal(results[0].outcome, 'failed');
    assert.equal(results[0].error, refusal);
    assert.equal(results[0].state, 'active');
    assert.equal(results.filter((r) => r.outcome === 'failed').length, 100);
    assert.equal(results.filter((r) => r.outcome === 'notSent').length, 50);
    assert.equal(log.filter((line) => line.includes(' stop ')).length, 1);
  });

  it('reads an answer without an operation id by the list: stopping is under way, active is failed', async () => {
    const noId = new EhpcError('badResponse', 'no operation id');
    const stopping = world({ refuse: noId, listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active', transitionStatus: 'stopping' }] } });
    assert.equal((await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), stopping.steps))[0].outcome, 'underWay');
    const active = world({ refuse: noId, listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active' }] } });
    const [result] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), active.steps);
    assert.deepEqual([result.outcome, result.error], ['failed', noId]);
  });

  it('says "unknown" with the reason when the look-up afterwards fails', async () => {
    const busy = new EhpcError('busy', 'The EHPC service is busy. Try again in a moment.');
    const { steps } = world({ listError: busy });
    const [result] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), steps);
    assert.deepEqual([result.outcome, result.error, result.operationId], ['unknown', busy, 'j-op1']);
  });

  it('keeps the skipped clusters in the results, in the order picked', async () => {
    const { steps } = world({ listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'stopped' }] } });
    const results = await runPower(planPower('stop', [cluster('ehpc-s1', 'stopped'), cluster('ehpc-a1', 'active')]), steps);
    assert.deepEqual(results.map((r) => [r.cluster.clusterId, r.outcome, r.reason]), [['ehpc-s1', 'skipped', 'already'], ['ehpc-a1', 'done', undefined]]);
  });

  it('sends nothing more, polls no more and looks nothing up once the session ends', async () => {
    let signedIn = true;
    const { steps, log, polls } = world({ operations: { 'j-op1': [{ status: 'pending' }] } });
    const results = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), {
      ...steps,
      mayContinue: () => signedIn,
      sleep: async (ms) => {
        await steps.sleep(ms);
        signedIn = false;
      },
    });
    assert.equal(polls().length, 1);
    assert.equal(log.filter((line) => line.includes(' list ')).length, 0);
    assert.equal(results[0].outcome, 'unknown');
    assert.equal(results[0].error?.kind, 'signedOut');
    signedIn = false;
    const none = world();
    const [notSent] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), { ...none.steps, mayContinue: () => false });
    assert.equal(notSent.outcome, 'notSent');
    assert.equal(none.log.length, 0);
  });
});

describe('Start and Stop when the operation cannot be read', () => {
  const unreadable = () => ({ 'j-op1': [new EhpcError('server', 'HTTP 502')] });

  it('says "not stopped" (or started), not "still stopping", when the list shows the cluster as it was', async () => {
    const stop = world({ operations: unreadable(), listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active' }] } });
    const [stopped] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), stop.steps);
    assert.deepEqual([stopped.outcome, stopped.state, stopped.operationUnread], ['notDone', 'active', true]);
    assert.equal(stop.polls().length, 3);
    const start = world({ operations: unreadable(), listed: { 'main/jn1a': [{ clusterId: 'ehpc-s1', status: 'stopped' }] } });
    const [started] = await runPower(planPower('start', [cluster('ehpc-s1', 'stopped')]), start.steps);
    assert.deepEqual([started.outcome, started.state, started.operationUnread], ['notDone', 'stopped', true]);
  });

  it('says "still stopping" when the list shows the transition, or the operation was seen pending', async () => {
    const listed = { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active', transitionStatus: 'stopping' as const }] };
    const [transition] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), world({ operations: unreadable(), listed }).steps);
    assert.deepEqual([transition.outcome, transition.state], ['underWay', 'stopping']);
    const pendingThenUnread = world({
      operations: { 'j-op1': [{ status: 'pending' }, new EhpcError('server', 'HTTP 502')] },
      listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active' }] },
    });
    const [pending] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), pendingThenUnread.steps);
    assert.deepEqual([pending.outcome, pending.state, pending.operationUnread], ['underWay', 'active', undefined]);
  });
});

describe('cancelling Start and Stop', () => {
  it('sends no further request of a zone of 150 clusters once cancelled after the first, and still looks them up', async () => {
    let cancelled = false;
    const { steps, log, polls } = world({
      operations: { 'j-op1': [{ status: 'pending' }] },
      listed: { 'main/jn1a': Array.from({ length: 150 }, (_, i) => ({ clusterId: `ehpc-c${i}`, status: i < 100 ? 'stopping' : 'active' })) },
    });
    const results = await runPower(planPower('stop', Array.from({ length: 150 }, (_, i) => cluster(`ehpc-c${i}`, 'active'))), {
      ...steps,
      cancelled: () => cancelled,
      onAccepted: () => void (cancelled = true),
    });
    assert.equal(log.filter((line) => line.includes(' stop ')).length, 1, 'the second request is not sent');
    assert.equal(polls().length, 0, 'nothing followed after the cancel');
    assert.equal(log.filter((line) => line.includes(' list ')).length, 1, 'the look-up still says where it got');
    assert.deepEqual(results.slice(0, 100).map((r) => r.outcome), Array(100).fill('underWay'));
    assert.deepEqual(results.slice(100).map((r) => [r.outcome, r.error?.kind]), Array(50).fill(['notSent', 'cancelled']));
  });

  it('sends nothing when cancelled before the first request; a sent one it stopped following is said as the list shows it', async () => {
    const none = world();
    const results = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), { ...none.steps, cancelled: () => true });
    assert.deepEqual(results.map((r) => r.outcome), ['notSent']);
    assert.equal(none.log.length, 0);
    let cancelled = false;
    const sent = world({ listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active' }] } });
    const [result] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), { ...sent.steps, cancelled: () => cancelled, onAccepted: () => void (cancelled = true) });
    assert.deepEqual([result.outcome, result.state, result.operationUnread, result.notFollowed], ['notDone', 'active', undefined, true], 'not followed: the list alone speaks, and it shows no stop');
    const moving = world({ listed: { 'main/jn1a': [{ clusterId: 'ehpc-a1', status: 'active', transitionStatus: 'stopping' }] } });
    cancelled = false;
    const [stopping] = await runPower(planPower('stop', [cluster('ehpc-a1', 'active')]), { ...moving.steps, cancelled: () => cancelled, onAccepted: () => void (cancelled = true) });
    assert.equal(stopping.outcome, 'underWay', 'listed stopping: still stopping');
  });
});

describe('following operations', () => {
  const options = (clock: { now: number }) => ({ now: () => clock.now, sleep: async (ms: number) => void (clock.now += ms), intervalMs: 1000, maxIntervalMs: 4000, deadline: 60_000, mayContinue: () => true });

  it('rides out a poll that fails now and then, and stops after three failures in a row', async () => {
    const busy = new EhpcError('busy', 'busy');
    const clock = { now: 0 };
    const answers: (OperationState | Error)[] = [busy, { status: 'pending' }, busy, { status: 'successful' }];
    let polls = 0;
    const client = { operation: async () => { polls++; const answer = answers.shift()!; if (answer instanceof Error) { throw answer; } return answer; } };
    assert.deepEqual([...(await follow(client, 'jn1a', ['j-op1'], options(clock))).entries()], [['j-op1', { status: 'successful' }]]);
    assert.equal(polls, 4);
    let failing = 0;
    const broken = { operation: async (): Promise<OperationState> => { failing++; throw busy; } };
    assert.equal((await follow(broken, 'jn1a', ['j-op1'], options({ now: 0 }))).size, 0);
    assert.equal(failing, 3);
  });

  it('keeps polling an operation whose state it does not know', async () => {
    const answers: OperationState[] = [{ status: 'unknown' }, { status: 'unknown' }, { status: 'failed', errorCodes: '1400' }];
    const client = { operation: async () => answers.shift()! };
    assert.deepEqual([...(await follow(client, 'jn1a', ['j-op1'], options({ now: 0 }))).values()], [{ status: 'failed', errorCodes: '1400' }]);
  });
});
