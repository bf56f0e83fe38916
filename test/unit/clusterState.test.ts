// The cluster fields the billing features read (how it is paid, its hours, a transition under
// way) and the one word its state is said in: anything unexpected is 'unknown', never a crash.
import * as assert from 'assert/strict';
import { clusterState } from '../../src/clusters/state';
import { parseClusterPage } from '../../src/ehpc/parse';
import { Cluster } from '../../src/ehpc/types';

function parseOne(item: Record<string, unknown>): Cluster {
  return parseClusterPage({ cluster_set: [{ cluster_id: 'ehpc-a1', ...item }], total_count: 1 }, 'jn1a', 'main').items[0];
}

describe('the billing fields of a listed cluster', () => {
  it('reads paid_type, cpu_hours, mem_hours, finished_job_count and transition_status as the docs show them', () => {
    const cluster = parseOne({
      cluster_status: 'active', paid_type: 'PayForUsed', cpu_hours: 446.200560295289, mem_hours: 1.76339637934081, finished_job_count: 2, transition_status: 'stopping',
    });
    assert.equal(cluster.paidType, 'PayForUsed');
    assert.equal(cluster.cpuHours, 446.200560295289);
    assert.equal(cluster.memHours, 1.76339637934081);
    assert.equal(cluster.finishedJobCount, 2);
    assert.equal(cluster.transitionStatus, 'stopping');
  });

  it('reads Reserved, and paid types in another case', () => {
    assert.equal(parseOne({ paid_type: 'Reserved' }).paidType, 'Reserved');
    assert.equal(parseOne({ paid_type: 'payforused' }).paidType, 'PayForUsed');
  });

  it('leaves the fields out when the list does not send them, so that older answers read as before', () => {
    const cluster = parseOne({ cluster_name: 'c', cluster_status: 'active' });
    assert.deepEqual(Object.keys(cluster).filter((key) => ['paidType', 'cpuHours', 'memHours', 'transitionStatus', 'finishedJobCount'].includes(key)), []);
    assert.equal(parseOne({ transition_status: '' }).transitionStatus, undefined);
    assert.equal(parseOne({ transition_status: null }).transitionStatus, undefined);
    assert.equal(parseOne({ paid_type: '' }).paidType, undefined);
  });

  it('reads hours sent as text, and refuses negative, infinite or non-numeric ones', () => {
    assert.equal(parseOne({ cpu_hours: '12.5' }).cpuHours, 12.5);
    for (const bad of [-1, 'lots', '', null, true, {}, [], '1e400', Number.NaN]) {
      assert.equal(parseOne({ cpu_hours: bad }).cpuHours, undefined, JSON.stringify(bad));
    }
  });

  it('says "unknown" for a paid type or a transition it does not know, of any type', () => {
    for (const paid of ['Monthly', 42, true, {}, []]) {
      const cluster = parseOne({ paid_type: paid });
      assert.equal(cluster.paidType, typeof paid === 'string' ? 'unknown' : undefined, JSON.stringify(paid));
    }
    for (const transition of ['resizing', 7, true, {}, ['starting']]) {
      assert.equal(parseOne({ transition_status: transition }).transitionStatus, 'unknown', JSON.stringify(transition));
    }
    assert.equal(parseOne({ transition_status: ' Starting ' }).transitionStatus, 'starting');
  });
});

describe('a cluster\'s state in one word', () => {
  const state = (status: string, transitionStatus?: Cluster['transitionStatus']) => clusterState({ status, transitionStatus });

  it('names the documented statuses as they are', () => {
    for (const status of ['active', 'stopped', 'pending', 'suspended'] as const) {
      assert.equal(state(status), status);
    }
    assert.equal(state('ACTIVE'), 'active');
  });

  it('says the transition under way rather than the status it leaves', () => {
    assert.equal(state('active', 'stopping'), 'stopping');
    assert.equal(state('stopped', 'starting'), 'starting');
    assert.equal(state('active', 'unknown'), 'unknown');
  });

  it('reads starting and stopping sent as the status itself', () => {
    assert.equal(state('starting'), 'starting');
    assert.equal(state('stopping'), 'stopping');
  });

  it('says "unknown" for anything else', () => {
    for (const status of ['', 'unknown', 'ceased', 'deleted', undefined as unknown as string, 3 as unknown as string]) {
      assert.equal(state(status), 'unknown', String(status));
    }
  });
});
