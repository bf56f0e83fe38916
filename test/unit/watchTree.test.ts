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

/**
 * The context-menu commands whose `when` holds for a row with this context value: right-clicked
 * alone, or within a multi-selection (VS Code then shows the commands that hold for every row).
 */
export function offered(contextValue: string, multiSelection = false): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, Menu[]> } };
  const menus = manifest.contributes.menus['view/item/context'];
  return menus.filter((menu) => whenHolds(menu.when, contextValue, multiSelection) && !menu.command.startsWith('ehpc.refresh')).map((menu) => menu.command).sort();
}

/** Only the forms the tree's menus use: view ==, viewItem =~ /re/ or ==, listMultiSelection, !, &&, || and brackets. */
function whenHolds(when: string, contextValue: string, multiSelection: boolean): boolean {
  const expression = when
    .replace(/viewItem =~ \/((?:[^/\\]|\\.)+)\//g, (_, re: string) => String(new RegExp(re).test(contextValue)))
    .replace(/viewItem == ([\w.]+)/g, (_, value: string) => String(value === contextValue))
    .replace(/view == [\w.]+/g, 'true')
    .replace(/listMultiSelection/g, String(multiSelection));
  assert.match(expression, /^[truefals!&|() ]+$/, `a when clause this test cannot read: ${when}`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- only true, false, !, &&, || and brackets are left
  return Boolean(new Function(`return ${expression};`)());
}

describe('watched jobs in the tree', () => {
  afterEach(() => useBundle('en'));

  it('marks a watched job, and a job whose cancel is under way: the state first, the id last', () => {
    useBundle('en');
    const plain = jobItem(job, undefined);
    assert.equal(plain.contextValue, 'job.running');
    assert.equal(plain.description, 'running · hpcjob-1');
    assert.equal((plain.iconPath as { id: string }).id, 'play-circle');
    const watched = jobItem(job, undefined, { watched: true, cancelling: false });
    assert.equal(watched.contextValue, 'job.running.watched');
    assert.equal(watched.description, 'running · watching · hpcjob-1');
    assert.equal((watched.iconPath as { id: string }).id, 'eye', 'a watched job shows an eye');
    assert.equal((watched.iconPath as { color?: { id: string } }).color?.id, 'charts.blue', 'in its state\'s colour');
    const cancelling = jobItem(job, undefined, { watched: true, cancelling: true });
    assert.equal(cancelling.contextValue, 'job.cancelling.watched');
    assert.equal(cancelling.description, 'Cancelling... · watching · hpcjob-1');
    assert.equal(jobItem({ ...job, status: 'cancelled' }, undefined, { watched: true, cancelling: true }).description, 'cancelled · watching · hpcjob-1', 'an ended job is not "Cancelling..."');
    assert.equal(jobItem(job, 'deleting', { watched: true, cancelling: true }).contextValue, 'job.busy', 'a batch at work wins');
    assert.equal(jobItem(job, 'deleting').description, 'Deleting... · hpcjob-1');
    useBundle('zh-cn');
    assert.equal(jobItem(job, undefined, { watched: true, cancelling: false }).description, '运行中 · 监视中 · hpcjob-1');
  });

  it('offers Watch, Stop Watching, Cancel and Delete where each applies, and the output and details on every job', () => {
    const reading = ['ehpc.downloadOutput', 'ehpc.openError', 'ehpc.openLoginTerminal', 'ehpc.openOutput', 'ehpc.openOutput', 'ehpc.showJobDetails'];
    const plus = (...commands: string[]) => [...commands, ...reading].sort();
    assert.deepEqual(offered('job.running'), plus('ehpc.cancelJob', 'ehpc.copyJobId', 'ehpc.deleteJob', 'ehpc.watchJobs'));
    assert.deepEqual(offered('job.running.watched'), plus('ehpc.cancelJob', 'ehpc.copyJobId', 'ehpc.deleteJob', 'ehpc.unwatchJobs'));
    assert.deepEqual(offered('job.cancelling.watched'), plus('ehpc.copyJobId', 'ehpc.deleteJob', 'ehpc.unwatchJobs'));
    assert.deepEqual(offered('job.finished'), plus('ehpc.copyJobId', 'ehpc.deleteJob', 'ehpc.resubmitJob'));
    assert.deepEqual(offered('job.busy'), plus('ehpc.copyJobId'));
  });

  it('names one job in the titles on one row, and jobs on a multi-selection, with the same conditions otherwise', () => {
    const pairs = [
      ['ehpc.cancelJob', 'ehpc.cancelJobs'],
      ['ehpc.deleteJob', 'ehpc.deleteJobs'],
      ['ehpc.copyJobId', 'ehpc.copyJobIds'],
    ];
    const rows = ['job.pending', 'job.running', 'job.running.watched', 'job.cancelling.watched', 'job.finished', 'job.exited', 'job.cancelled', 'job.busy'];
    for (const row of rows) {
      for (const [one, several] of pairs) {
        assert.ok(!offered(row, true).includes(one), `${one} on a multi-selection with ${row}`);
        assert.ok(!offered(row, false).includes(several), `${several} on ${row} alone`);
      }
    }
    // The plural stands in for the singular wherever the singular would apply on the same row.
    for (const row of rows) {
      for (const [one, several] of pairs) {
        if (offered(row, false).includes(one)) {
          assert.ok(offered(row, true).includes(several), `${row}: ${one} alone, but no ${several} within a multi-selection`);
        }
      }
    }
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { commands: { command: string; title: string }[]; menus: Record<string, Menu[]> } };
    const nls = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.nls.json'), 'utf8')) as Record<string, string>;
    const title = (id: string) => nls[manifest.contributes.commands.find((command) => command.command === id)!.title.replace(/%/g, '')];
    assert.deepEqual(pairs.map(([one, several]) => [title(one), title(several)]), [
      ['Cancel Job...', 'Cancel Jobs...'],
      ['Delete Job...', 'Delete Jobs...'],
      ['Copy Job ID', 'Copy Job IDs'],
    ]);
    // The palette keeps the plural commands only (their pickers choose the jobs).
    const hidden = manifest.contributes.menus.commandPalette.filter((entry) => entry.when === 'false').map((entry) => entry.command);
    for (const [one] of pairs) {
      assert.ok(hidden.includes(one), `${one} is listed in the palette`);
    }
    assert.ok(!hidden.includes('ehpc.deleteJobs') && !hidden.includes('ehpc.cancelJobs'));
  });

  it('offers Cancel Jobs and Watch on a selection that mixes ended jobs with running ones (the commands skip the ended)', () => {
    const common = (...rows: string[]) => rows.map((row) => offered(row, true)).reduce((all, next) => all.filter((command) => next.includes(command)));
    const mixed = common('job.running', 'job.pending.watched', 'job.cancelled', 'job.finished');
    assert.ok(mixed.includes('ehpc.cancelJobs'), mixed.join(', '));
    assert.ok(mixed.includes('ehpc.watchJobs'), mixed.join(', '));
    assert.ok(mixed.includes('ehpc.deleteJobs'), mixed.join(', '));
    assert.ok(!offered('job.finished').some((command) => command.startsWith('ehpc.cancelJob')), 'a finished job right-clicked alone offers no Cancel');
  });

  it('offers Show Job Details and Resubmit on a row right-clicked outside another multi-selection', () => {
    // VS Code then evaluates the clicked row alone, with listMultiSelection still true.
    assert.ok(offered('job.finished', true).includes('ehpc.showJobDetails'));
    assert.ok(offered('job.finished', true).includes('ehpc.resubmitJob'));
  });
});
