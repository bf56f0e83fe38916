// Delete and Load More put the keyboard outline on the next row when they end, but only if the
// user is still where the command began: rows selected meanwhile, or an editor gone to, keep the
// focus (else the next Delete key would act on the outlined row, outside the user's selection).
import { EventEmitter, window, windowEvents } from './support/fakeVscode';
import * as assert from 'assert/strict';
import type * as JobActionModule from '../../src/commands/jobAction';
import type { BatchResult } from '../../src/batch/runner';
import { deleteJobs, deleteSelection } from '../../src/commands/deleteJobs';
import { loadMore } from '../../src/commands/loadMore';
import { ClusterNode, JobNode, jobsFromTree, TreeNode } from '../../src/tree/nodes';
import type { Services } from '../../src/services';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the batch is replaced where deleteJobs looks it up
const jobAction = require('../../src/commands/jobAction') as { runJobAction: typeof JobActionModule.runJobAction };
const realRunJobAction = jobAction.runJobAction;

const cluster: ClusterNode = { kind: 'cluster', cluster: { account: 'A', zone: 'jn1a', clusterId: 'c1', name: 'c1', status: 'active' }, parent: undefined };
const row = (id: string): JobNode => ({ kind: 'job', parent: cluster, job: { account: 'A', zone: 'jn1a', clusterId: 'c1', hpcjobUuid: id, name: id, status: 'finished' } });
const [A, B, X, Y] = ['A', 'B', 'X', 'Y'].map(row);
const editor = (name: string, scheme = 'file') => ({ viewColumn: 1, document: { uri: { scheme, toString: () => `${scheme}:///${name}` } } });

class FakeTree {
  selection: TreeNode[] = [];
  visible = true;
  readonly reveals: string[] = [];
  private readonly selectionChanged = new EventEmitter<{ selection: readonly TreeNode[] }>();
  readonly onDidChangeSelection = this.selectionChanged.event;
  select(...nodes: TreeNode[]): void {
    this.selection = nodes;
    this.selectionChanged.fire({ selection: nodes });
  }
  reveal(node: TreeNode, options: { focus?: boolean }): Promise<void> {
    this.reveals.push(`${node.kind === 'job' ? node.job.hpcjobUuid : node.kind}${options.focus ? ' focused' : ''}`);
    return Promise.resolve();
  }
}

function servicesWith(tree: FakeTree, list: () => JobNode[], loadMore?: () => Promise<void>): Services {
  const model = { loadedJobList: () => ({ nodes: list(), totalCount: 10 }), loadMore: loadMore ?? (() => Promise.resolve()) };
  return { treeView: tree, model, log: { warn: () => undefined } } as unknown as Services;
}

/** Replaces the batch with one that ends when `meanwhile` has run. */
function batchWhere(meanwhile: () => void): void {
  jobAction.runJobAction = async () => {
    await Promise.resolve();
    meanwhile();
    return { clusters: [] } as unknown as BatchResult;
  };
}

describe('The focus after Delete and Load More', () => {
  afterEach(() => {
    jobAction.runJobAction = realRunJobAction;
  });

  it('goes to the next job when the user did nothing meanwhile, the deleted row leaving the selection', async () => {
    const tree = new FakeTree();
    tree.selection = [A];
    let list = [A, B, X, Y];
    batchWhere(() => {
      list = [B, X, Y];
      tree.select();
    });
    await deleteJobs(servicesWith(tree, () => list), A, [A]);
    assert.deepEqual(tree.reveals, ['B focused']);
  });

  it('stays with the rows the user selected while the jobs were being deleted', async () => {
    const tree = new FakeTree();
    tree.selection = [A];
    let list = [A, B, X, Y];
    batchWhere(() => {
      list = [B, X, Y];
      tree.select(row('X'));
      tree.select(row('X'), row('Y'));
    });
    await deleteJobs(servicesWith(tree, () => list), A, [A]);
    assert.deepEqual(tree.reveals, [], 'the outline is not moved to B');

    // The Delete key then acts on the user's selection, not on a row outside it.
    let asked: string[] = [];
    jobAction.runJobAction = (_services, _action, clicked, selection) => {
      asked = jobsFromTree(clicked, selection).map((job) => job.hpcjobUuid);
      return Promise.resolve(undefined);
    };
    await deleteSelection(servicesWith(tree, () => list), tree.selection[1]);
    assert.deepEqual(asked, ['X', 'Y']);
  });

  it('stays in the editor the user went to while the jobs were being deleted', async () => {
    const tree = new FakeTree();
    tree.selection = [A];
    batchWhere(() => windowEvents.activeTextEditor.fire(editor('notes.md')));
    await deleteJobs(servicesWith(tree, () => [B, X]), A, [A]);
    assert.deepEqual(tree.reveals, []);
  });

  it('goes to the next job when the question only took the keyboard from the editor open beside the tree', async () => {
    const tree = new FakeTree();
    tree.selection = [A];
    window.activeTextEditor = editor('details.md');
    try {
      batchWhere(() => {
        windowEvents.activeTextEditor.fire(undefined);
        windowEvents.activeTextEditor.fire(editor('details.md'));
      });
      await deleteJobs(servicesWith(tree, () => [B, X]), A, [A]);
      assert.deepEqual(tree.reveals, ['B focused']);
    } finally {
      window.activeTextEditor = undefined;
    }
  });

  it('goes to the next job when a row clicked before the delete has its details previewed meanwhile', async () => {
    const tree = new FakeTree();
    tree.selection = [A];
    window.activeTextEditor = editor('earlier job.md', 'ehpc-job');
    try {
      batchWhere(() => windowEvents.activeTextEditor.fire(editor('A.md', 'ehpc-job')));
      await deleteJobs(servicesWith(tree, () => [B, X]), A, [A]);
      assert.deepEqual(tree.reveals, ['B focused']);
    } finally {
      window.activeTextEditor = undefined;
    }
  });

  it('stays in an editor the user clicked or typed in, but not for a change of its text alone', async () => {
    const tree = new FakeTree();
    tree.selection = [A];
    batchWhere(() => windowEvents.textEditorSelection.fire({ kind: undefined }));
    await deleteJobs(servicesWith(tree, () => [B, X]), A, [A]);
    assert.deepEqual(tree.reveals, ['B focused'], 'an edit of an open document is no move');

    batchWhere(() => windowEvents.textEditorSelection.fire({ kind: 2 /* Mouse */ }));
    await deleteJobs(servicesWith(tree, () => [B, X]), A, [A]);
    assert.deepEqual(tree.reveals, ['B focused']);
  });

  it('stays in the terminal the user went to while the jobs were being deleted', async () => {
    const tree = new FakeTree();
    tree.selection = [A];
    batchWhere(() => windowEvents.activeTerminal.fire({}));
    await deleteJobs(servicesWith(tree, () => [B, X]), A, [A]);
    assert.deepEqual(tree.reveals, []);
  });

  it('Load More: on the first job added, even when the Load More row itself becomes selected', async () => {
    const tree = new FakeTree();
    tree.selection = [A];
    let list = [A, B];
    await loadMore(
      servicesWith(tree, () => list, () => {
        tree.select({ kind: 'loadMore', parent: cluster });
        list = [A, B, X, Y];
        return Promise.resolve();
      }),
      cluster,
    );
    assert.deepEqual(tree.reveals, ['X focused']);
  });

  it('Load More: stays with the row the user selected while the page was loading', async () => {
    const tree = new FakeTree();
    tree.selection = [{ kind: 'loadMore', parent: cluster }];
    let list = [A, B];
    await loadMore(
      servicesWith(tree, () => list, () => {
        tree.select(row('A'));
        list = [A, B, X, Y];
        return Promise.resolve();
      }),
      cluster,
    );
    assert.deepEqual(tree.reveals, []);
  });

  it('Load More: stays in the editor the user went to while the page was loading', async () => {
    const tree = new FakeTree();
    let list = [A, B];
    await loadMore(
      servicesWith(tree, () => list, () => {
        windowEvents.activeTextEditor.fire(editor('notes.md'));
        list = [A, B, X, Y];
        return Promise.resolve();
      }),
      cluster,
    );
    assert.deepEqual(tree.reveals, []);
  });
});
