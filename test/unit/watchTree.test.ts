// Watched jobs in the tree: the row says so ("watching", "Cancelling..."), and its context
// value offers exactly the right actions through the manifest's `when` clauses.
import { useBundle } from './support/fakeVscode';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Job } from '../../src/ehpc/types';
import { jobItem } from '../../src/tree/items';

const job: Job = { account: 'QingCloud', zone: 'jn1a', clusterId: 'ehpc-a', hpcjobUuid: 'hpcjob-1', name: 'sim 1', status: 'running' };

interface Menu {
  command: string;
  when: string;
}

/** The context-menu commands whose `when` holds for a row with this context value (multi-selection). */
function offered(contextValue: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, Menu[]> } };
  const menus = manifest.contributes.menus['view/item/context'];
  const holds = (when: string) => {
    // Only the forms the job menus use: view ==, viewItem =~ /re/ joined by && and ||, and !listMultiSelection.
    const matches = [...when.matchAll(/viewItem =~ \/((?:[^/\\]|\\.)+)\//g)].map(([, re]) => new RegExp(re).test(contextValue));
    const viewItemEquals = [...when.matchAll(/viewItem == ([\w.]+)/g)].map(([, value]) => value === contextValue);
    return [...matches, ...viewItemEquals].some(Boolean) && !when.includes('!listMultiSelection');
  };
  return menus.filter((menu) => holds(menu.when) && !menu.command.startsWith('ehpc.refresh')).map((menu) => menu.command).sort();
}

describe('watched jobs in the tree', () => {
  afterEach(() => useBundle('en'));

  it('marks a watched job, and a job whose cancel is under way', () => {
    useBundle('en');
    const plain = jobItem(job, undefined);
    assert.equal(plain.contextValue, 'job.running');
    assert.equal(plain.description, 'hpcjob-1 · running');
    const watched = jobItem(job, undefined, { watched: true, cancelling: false });
    assert.equal(watched.contextValue, 'job.running.watched');
    assert.equal(watched.description, 'hpcjob-1 · running · watching');
    const cancelling = jobItem(job, undefined, { watched: true, cancelling: true });
    assert.equal(cancelling.contextValue, 'job.cancelling.watched');
    assert.equal(cancelling.description, 'hpcjob-1 · Cancelling... · watching');
    assert.equal(jobItem({ ...job, status: 'cancelled' }, undefined, { watched: true, cancelling: true }).description, 'hpcjob-1 · cancelled · watching', 'an ended job is not "Cancelling..."');
    assert.equal(jobItem(job, 'deleting', { watched: true, cancelling: true }).contextValue, 'job.busy', 'a batch at work wins');
    useBundle('zh-cn');
    assert.equal(jobItem(job, undefined, { watched: true, cancelling: false }).description, 'hpcjob-1 · 运行中 · 监视中');
  });

  it('offers Watch, Stop Watching, Cancel and Delete where each applies, and the output on every job', () => {
    assert.deepEqual(offered('job.running'), ['ehpc.cancelJobs', 'ehpc.copyJobIds', 'ehpc.deleteJobs', 'ehpc.openOutput', 'ehpc.watchJobs']);
    assert.deepEqual(offered('job.running.watched'), ['ehpc.cancelJobs', 'ehpc.copyJobIds', 'ehpc.deleteJobs', 'ehpc.openOutput', 'ehpc.unwatchJobs']);
    assert.deepEqual(offered('job.cancelling.watched'), ['ehpc.copyJobIds', 'ehpc.deleteJobs', 'ehpc.openOutput', 'ehpc.unwatchJobs']);
    assert.deepEqual(offered('job.finished'), ['ehpc.copyJobIds', 'ehpc.deleteJobs', 'ehpc.openOutput']);
    assert.deepEqual(offered('job.busy'), ['ehpc.copyJobIds', 'ehpc.openOutput']);
  });
});
