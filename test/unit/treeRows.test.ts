// How the tree's rows read: a job's tooltip in the user's words and time zone, the Load More
// row with its counts, a signed-out account's row as a state rather than an error.
import { useBundle } from './support/fakeVscode';
import * as assert from 'assert/strict';
import { EhpcError } from '../../src/ehpc/errors';
import { Cluster, Job } from '../../src/ehpc/types';
import { jobTooltip } from '../../src/tree/jobTooltip';
import { ClusterTreeProvider } from '../../src/tree/provider';
import { ClusterNode, JobNode, TreeNode } from '../../src/tree/nodes';
import { shownTime } from '../../src/text/times';
import type { ClusterModel } from '../../src/tree/model';
import type { BusyMarks } from '../../src/tree/busyMarks';
import { partRows } from './support/partRows';

const cluster: Cluster = { account: 'QingCloud', zone: 'jn1a', clusterId: 'ehpc-a', name: 'cfd-prod', status: 'active' };
const job: Job = {
  account: 'QingCloud', zone: 'jn1a', clusterId: 'ehpc-a', hpcjobUuid: 'hpcjob-1', name: 'sim 1', status: 'exited',
  submittedTime: '2026-11-30T01:00:00', startedTime: '2026-11-30T01:02:03', modifiedTime: '2026-11-30T03:04:05',
};
const tooltip = (markdown: { value: string }) => markdown.value.replace(/\\(.)/g, '$1');

function provider(shown: number, total: number): ClusterTreeProvider {
  const model = { currentJobList: () => ({ nodes: new Array<JobNode>(shown), totalCount: total }) } as unknown as ClusterModel;
  return new ClusterTreeProvider(model, {} as never, {} as BusyMarks, undefined, partRows);
}

describe('the tree\'s rows, as read', () => {
  afterEach(() => useBundle('en'));

  it('a job\'s tooltip: "Job ID", its times as the server gave them, when it ended and where its exit reason is', () => {
    useBundle('en');
    const text = tooltip(jobTooltip(job, false));
    assert.match(text, /^Job ID: `hpcjob-1`/m);
    assert.doesNotMatch(text, /hpcjob_uuid/);
    assert.match(text, /^Submitted: 2026-\d\d-\d\d \d\d:\d\d \(server time\)/m, text);
    assert.match(text, /^Ended: .*2026/m, 'an ended job says when it ended');
    assert.match(text, /^Exit reason: in the job's details {2}$/m);
    const running = tooltip(jobTooltip({ ...job, status: 'running' }, true));
    assert.doesNotMatch(running, /Ended/, 'a running job has not ended');
    assert.match(running, /^Status: running, watched/m);
  });

  it('a time shown as the server sent it unless the server named its zone, as on the details page', () => {
    useBundle('en');
    assert.equal(shownTime('2026-11-30T01:00:00'), '2026-11-30 01:00 (server time)');
    assert.match(shownTime('2026-11-30T01:00:00Z') ?? '', /^2026-11-30 \d\d:00 \(UTC[+-]?\d*(:\d\d)?\)$/);
    assert.equal(shownTime('not a time'), 'not a time');
    assert.equal(shownTime(undefined), undefined);
  });

  it('an impossible date or time shown as sent, never rolled over into another day', () => {
    useBundle('en');
    for (const text of ['2026-02-30T08:18:00Z', '2026-02-29T08:18:00+08:00', '2026-06-31 08:18', '2026-13-01T08:18:00Z', '2026-06-30T24:00:00Z', '2026-06-30T08:60:00Z', '2026-06-30T08:18:61Z', '2026-06-30T08:18:00+2400', '2026-00-10 08:18']) {
      assert.equal(shownTime(text), text);
    }
    assert.equal(shownTime('2028-02-29 08:18'), '2028-02-29 08:18 (server time)', 'a leap day is a day');
    assert.match(shownTime('2026-12-31T23:59:59Z') ?? '', /^20(26-12-31|27-01-01) \d\d:\d\d \(UTC/);
  });

  it('Load More says how many it brings and how many are shown', () => {
    useBundle('en');
    const clusterNode: ClusterNode = { kind: 'cluster', cluster, parent: undefined };
    const more: TreeNode = { kind: 'loadMore', parent: clusterNode };
    const item = provider(100, 230).getTreeItem(more);
    assert.equal(item.label, 'Load 100 More...');
    assert.equal(item.description, '100 of 230 shown');
    assert.equal(item.accessibilityInformation?.label, 'Load 100 More... 100 of 230 shown', 'read out as shown, not as its tooltip');
    assert.match(typeof item.tooltip === 'string' ? item.tooltip : '', /100 of the 230 jobs of cluster cfd-prod are shown/);
    assert.equal(provider(200, 230).getTreeItem(more).label, 'Load 30 More...');
    useBundle('zh-cn');
    assert.equal(provider(200, 230).getTreeItem(more).label, '再加载 30 个...');
  });

  it('a signed-out account\'s row is a state with a sign-in icon, not a red error', () => {
    useBundle('en');
    const signedOut: TreeNode = { kind: 'message', id: 'signedOut:a', text: 'Not signed in. Click to sign in.', parent: undefined, account: 'a', error: new EhpcError('signedOut', 'Not signed in.') };
    const item = provider(0, 0).getTreeItem(signedOut);
    assert.equal((item.iconPath as { id: string }).id, 'sign-in');
    assert.equal((item.iconPath as { color?: unknown }).color, undefined);
    assert.equal(item.command?.command, 'ehpc.signIn');
    const failed: TreeNode = { ...signedOut, id: 'error:a', error: new EhpcError('server', 'down') };
    assert.equal((provider(0, 0).getTreeItem(failed).iconPath as { id: string }).id, 'error');
  });
});
