// What a Simplified Chinese user actually reads: the sentences the code assembles around the
// translated strings (summaries, confirmations, tree rows, the filter label, error messages),
// rendered with the zh-cn bundle. The bundle can be complete and still leave English words,
// ASCII punctuation or a missing 。 in what is shown; l10n.test.ts cannot see that, this can.
// Then the same renderings in English, which must not say "1 jobs".
import * as fake from './support/fakeVscode';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type * as vscode from 'vscode';
import { scanSources } from '../../scripts/l10n';
import { BatchOutcome, ClusterBatch, ClusterOutcome, ClusterPlace, JobRef, sessionEndedError } from '../../src/ehpc/batch';
import { EhpcError, errorForHttpStatus, errorForNetworkFailure, errorForRetCode } from '../../src/ehpc/errors';
import { Cluster, Job, JobStatus } from '../../src/ehpc/types';
import type { JobAction } from '../../src/batch/runner';
import type * as batchSummaryModule from '../../src/ui/batchSummary';
import type * as itemsModule from '../../src/tree/items';
import type * as jobTooltipModule from '../../src/tree/jobTooltip';
import type * as filterStateModule from '../../src/tree/filterState';
import type * as providerModule from '../../src/tree/provider';
import type * as promptsModule from '../../src/ui/prompts';
import type * as messagesModule from '../../src/text/messages';
import type * as revealModule from '../../src/tree/reveal';
import type * as statusBarModule from '../../src/watch/statusBar';
import type * as userRoleModule from '../../src/ui/userRole';
import type { ClusterModel } from '../../src/tree/model';
import type { Accounts } from '../../src/accounts/registry';
import type { BusyMarks } from '../../src/tree/busyMarks';

// __dirname is out/test/unit.
const root = path.resolve(__dirname, '..', '..', '..');

/**
 * The modules under test, loaded again after the bundle is chosen: the actions' phrases
 * (button, consequence) are translated once, when their module loads, as in VS Code.
 */
interface Ui {
  del: JobAction;
  cancel: JobAction;
  summary: typeof batchSummaryModule;
  items: typeof itemsModule;
  jobTooltip: typeof jobTooltipModule;
  filter: typeof filterStateModule;
  provider: typeof providerModule;
  prompts: typeof promptsModule;
  messages: typeof messagesModule;
  reveal: typeof revealModule;
  statusBar: typeof statusBarModule;
  userRole: typeof userRoleModule;
}

function loadUi(locale: 'en' | 'zh-cn'): Ui {
  fake.useBundle(locale);
  const src = path.join(root, 'out', 'src');
  // Not src/ehpc: it does not import vscode, and the tests share its EhpcError class.
  for (const id of Object.keys(require.cache)) {
    if (id.startsWith(src) && !id.startsWith(path.join(src, 'ehpc'))) {
      delete require.cache[id];
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded anew for each locale
  const load = <T>(module: string): T => require(path.join(src, module)) as T;
  return {
    del: load<{ deleteAction: JobAction }>('batch/actions').deleteAction,
    cancel: load<{ cancelAction: JobAction }>('batch/actions').cancelAction,
    summary: load('ui/batchSummary'),
    items: load('tree/items'),
    jobTooltip: load('tree/jobTooltip'),
    filter: load('tree/filterState'),
    provider: load('tree/provider'),
    prompts: load('ui/prompts'),
    messages: load('text/messages'),
    reveal: load('tree/reveal'),
    statusBar: load('watch/statusBar'),
    userRole: load('ui/userRole'),
  };
}

// The fixture: one account, two zones, clusters in every state, jobs in every state.
const ACCOUNT = 'QingCloud';
const clusters: Cluster[] = [
  { account: ACCOUNT, zone: 'jn1a', clusterId: 'ehpc-a1b2c3d4', name: 'cfd-prod', status: 'active', runningJobCount: 3, pendingJobCount: 2 },
  { account: ACCOUNT, zone: 'jn1a', clusterId: 'ehpc-e5f6g7h8', name: 'md-test', status: 'pending' },
  { account: ACCOUNT, zone: 'jn1b', clusterId: 'ehpc-k9m8n7p6', name: 'gpu-lab', status: 'stopped', runningJobCount: 1, pendingJobCount: 0 },
  { account: ACCOUNT, zone: 'jn1b', clusterId: 'ehpc-q1r2s3t4', name: 'old-runs', status: 'suspended' },
  { account: ACCOUNT, zone: 'jn1b', clusterId: 'ehpc-u5v6w7x8', name: 'lost', status: 'unknown' },
];
const [cfd, md] = clusters;
const STATUSES: JobStatus[] = ['pending', 'running', 'finished', 'exited', 'cancelled', 'stopped', 'unknown'];
const jobs: Job[] = STATUSES.map((status, i) => ({
  account: cfd.account,
  zone: cfd.zone,
  clusterId: cfd.clusterId,
  hpcjobUuid: `hpcjob-0000${i}abc`,
  jobId: 19450 + i,
  name: `sim run ${i + 1}`,
  status,
  queueName: 'normal',
  runUser: 'alice',
  cmdLine: 'mpirun -np 64 ./solver --case pipe',
  submittedTime: '2026-11-30T01:00:00Z',
  startedTime: '2026-11-30T01:02:03Z',
}));
const jobsOf = (cluster: Cluster, count: number): JobRef[] =>
  Array.from({ length: count }, (_, i) => ({ account: cluster.account, zone: cluster.zone, clusterId: cluster.clusterId, hpcjobUuid: `hpcjob-${cluster.name.slice(0, 2)}${i}`, name: `sim run ${i + 1}` }));

/** Words a Chinese sentence may carry in Latin letters: names, identifiers, the fixture's data. */
const ALLOWED = [
  'QingCloud', 'EHPC', 'API', 'ID', 'HTTP', 'TLS', 'URL', 'VS Code', 'Linux', 'gnome-keyring', 'KWallet', 'https', 'http',
  'localhost', 'ret_code', 'ehpc.endpoint', 'ehpc.accounts', 'hpcjob_uuid', 'EHPC: 登录', 'EHPC: 添加账号', 'PermissionDenied', 'ECONNRESET', 'CERT_HAS_EXPIRED',
  'hpc.api.qingcloud.com', 'sim run', 'ehpc-…', 'hpc-…', 'hpcjob-…', 'j-…', 'ehpcq-…', 'KiB', 'MB', 'UTC', 'GMT',
  ...clusters.flatMap((c) => [c.name, c.clusterId, c.zone]),
  ...jobs.flatMap((j) => [j.name, j.hpcjobUuid, j.queueName ?? '', j.runUser ?? '']),
];
const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';

/** What is wrong with `text` as Chinese UI text; empty when nothing is. */
function chineseProblems(text: string): string[] {
  const problems: string[] = [];
  const plain = text
    .replace(/```[\s\S]*?```/g, '\n') // a command line, shown as code
    .replace(/`[^`]*`/g, '0') // inline code
    .replace(/\\(?=[^\s])/g, '') // Markdown escapes
    .replace(/\$\([a-z-~]+\)/g, '0') // codicons
    .replace(/hpcjob-[a-z0-9]+/g, '0') // job ids
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '0'); // the API's times, as given
  let words = plain;
  for (const allowed of [...ALLOWED].sort((a, b) => b.length - a.length)) {
    words = words.split(allowed).join(' ');
  }
  for (const word of words.match(/[A-Za-z]{2,}/g) ?? []) {
    problems.push(`English word "${word}"`);
  }
  for (const match of plain.matchAll(new RegExp(`[${CJK}][,;:()"]|[,;:()"][${CJK}]`, 'gu'))) {
    problems.push(`half-width punctuation next to Chinese: "${match[0]}"`);
  }
  for (const match of plain.matchAll(/[，。：；、（）“”？]\s/gu)) {
    if (!/\n/.test(match[0])) {
      problems.push(`space after full-width punctuation: "${match[0]}"`);
    }
  }
  if (plain.includes('。）')) {
    problems.push('。 before a closing parenthesis');
  }
  return problems;
}

function assertChinese(what: string, text: string | undefined, sentence = false): void {
  assert.ok(text !== undefined && /\p{Script=Han}/u.test(text), `${what}: no Chinese in ${JSON.stringify(text)}`);
  assert.deepEqual(chineseProblems(text), [], `${what}: ${JSON.stringify(text)}`);
  if (sentence) {
    assert.match(text, /[。？]$/u, `${what} must end with 。: ${JSON.stringify(text)}`);
  }
}

const tooltipText = (item: vscode.TreeItem): string => (typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''));
const log = { info: () => undefined, warn: () => undefined } as unknown as vscode.LogOutputChannel;
const nameOf = (place: ClusterPlace) => clusters.find((c) => c.account === place.account && c.zone === place.zone && c.clusterId === place.clusterId)?.name ?? place.clusterId;

type Parts = { done?: number; remaining?: number; inProgress?: number; unknown?: number; notSent?: number; actionError?: EhpcError; listError?: EhpcError; operationFailed?: boolean };

function clusterOutcome(cluster: Cluster, parts: Parts): ClusterOutcome {
  const buckets = ['done', 'remaining', 'inProgress', 'unknown', 'notSent'] as const;
  const all = jobsOf(cluster, buckets.reduce((n, bucket) => n + (parts[bucket] ?? 0), 0));
  let taken = 0;
  const take = (bucket: (typeof buckets)[number]) => all.slice(taken, (taken += parts[bucket] ?? 0));
  const [done, remaining, inProgress, unknown, notSent] = buckets.map(take);
  const { actionError, listError, operationFailed } = parts;
  return { account: cluster.account, zone: cluster.zone, clusterId: cluster.clusterId, requested: all, done, remaining, inProgress, unknown, notSent, actionError, listError, operationFailed, operations: new Map() };
}

function outcome(...parts: ClusterOutcome[]): BatchOutcome {
  return { clusters: parts, requested: parts.reduce((n, c) => n + c.requested.length, 0), done: parts.reduce((n, c) => n + c.done.length, 0) };
}

const denied = () => errorForRetCode(1400, 'PermissionDenied', 200);
const busy = () => errorForRetCode(5100, undefined, 200);

let templates: { key: string }[] | undefined;

/** One EhpcError for every template of src/, and the fallbacks when the server says nothing. */
function everyError(): EhpcError[] {
  templates ??= scanSources(root).keys.filter((key) => key.kind === 'EhpcError');
  assert.ok(templates.length > 20, 'too few EhpcError templates found');
  const sampleArgs = ['hpc.api.qingcloud.com', 'ECONNRESET', 'jn1a'];
  const kinds = new Set<string>();
  const errors = templates.map(({ key }) => new EhpcError('server', key, sampleArgs));
  for (const retCode of [1100, 1200, 1300, 1400, 2100, 2500, 5000, 5100, 5300]) {
    errors.push(errorForRetCode(retCode, undefined, 200), errorForRetCode(retCode, 'PermissionDenied', 200));
  }
  errors.push(errorForRetCode(1300, undefined, 200, 300), errorForRetCode(1300, undefined, 200, -30));
  for (const status of [404, 429, 500, 502]) {
    errors.push(errorForHttpStatus(status));
  }
  for (const code of [undefined, 'ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'CERT_HAS_EXPIRED']) {
    errors.push(errorForNetworkFailure({ code }, 'hpc.api.qingcloud.com', false, 20_000));
  }
  errors.push(errorForNetworkFailure(new Error('x'), 'hpc.api.qingcloud.com', true, 20_000));
  errors.forEach((error) => kinds.add(error.kind));
  assert.ok(kinds.size >= 12, `every kind of error: ${[...kinds].join(' ')}`);
  return errors;
}

describe('the Simplified Chinese UI, as rendered', () => {
  let ui: Ui;
  before(() => {
    ui = loadUi('zh-cn');
  });
  after(() => fake.useBundle('en'));

  describe('the summary after a batch', () => {
    it('all done: one sentence that ends with 。', () => {
      for (const action of [ui.del, ui.cancel]) {
        for (const count of [1, 5]) {
          const { message, complete } = ui.summary.summarize(outcome(clusterOutcome(cfd, { done: count })), 1, action.phrases, nameOf, log);
          assert.equal(complete, true);
          assertChinese(`${action.name} ${count}`, message, true);
        }
      }
      assert.equal(ui.summary.summarize(outcome(clusterOutcome(cfd, { done: 5 })), 1, ui.del.phrases, nameOf, log).message, '已删除 5 个作业。');
    });

    it('partly done, with the reasons of several clusters: full-width joiners, no 。 inside the parentheses, a closing 。', () => {
      const partial = outcome(
        clusterOutcome(cfd, { done: 30, remaining: 2, actionError: denied() }),
        clusterOutcome(md, { done: 17, unknown: 1, listError: busy() }),
      );
      const { message, complete } = ui.summary.summarize(partial, 7, ui.del.phrases, nameOf, log);
      assert.equal(complete, false);
      assert.equal(
        message,
        '已确认删除 50 个作业中的 47 个；集群 cfd-prod 中有 2 个作业仍未删除（访问被拒绝：此密钥无权执行该操作（PermissionDenied））；集群 md-test 中有 1 个作业的请求已发出，但之后无法核实结果（EHPC 服务繁忙，请稍后重试）。',
      );
      for (const action of [ui.del, ui.cancel]) {
        const mixed = outcome(
          clusterOutcome(cfd, { done: 3, remaining: 1, actionError: errorForNetworkFailure({}, 'hpc.api.qingcloud.com', false, 20_000) }),
          clusterOutcome(md, { remaining: 1 }),
          clusterOutcome(clusters[2], { remaining: 2, actionError: errorForRetCode(1300, undefined, 200, 300) }),
        );
        assertChinese(`${action.name}, mixed`, ui.summary.summarize(mixed, 8, action.phrases, nameOf, log).message, true);
        const one = outcome(clusterOutcome(cfd, { remaining: 1, actionError: busy() }));
        assertChinese(`${action.name}, the only job not done`, ui.summary.summarize(one, 9, action.phrases, nameOf, log).message, true);
      }
    });

    it('could not be checked, with and without a reason', () => {
      for (const listError of [busy(), undefined]) {
        const unchecked = outcome(clusterOutcome(cfd, { done: 2, unknown: 3, listError }));
        assertChinese(`unknown, ${listError ? 'a reason' : 'no reason'}`, ui.summary.summarize(unchecked, 10, ui.cancel.phrases, nameOf, log).message, true);
      }
    });

    it('not sent, still stopping, an operation that failed, a sign-out in the middle', () => {
      const signedOut = sessionEndedError();
      const cases = [
        outcome(clusterOutcome(cfd, { unknown: 100, notSent: 150, listError: signedOut })),
        outcome(clusterOutcome(cfd, { remaining: 100, notSent: 50, actionError: busy() })),
        outcome(clusterOutcome(cfd, { done: 1, inProgress: 2 })),
        outcome(clusterOutcome(cfd, { remaining: 2, operationFailed: true })),
      ];
      for (const action of [ui.del, ui.cancel]) {
        for (const [i, each] of cases.entries()) {
          assertChinese(`${action.name}, case ${i}`, ui.summary.summarize(each, 11, action.phrases, nameOf, log).message, true);
        }
      }
      // The reason in parentheses, without its own 。.
      const why = ui.messages.userMessage(signedOut).replace(/。$/u, '');
      assert.equal(
        ui.summary.summarize(cases[0], 12, ui.del.phrases, nameOf, log).message,
        `已确认删除 250 个作业中的 0 个；集群 cfd-prod 中有 100 个作业的请求已发出，但之后无法核实结果（${why}）；集群 cfd-prod 中有 150 个作业的请求未发出（${why}）。`,
      );
    });

    it('the other phrases of the actions: progress, skipped, pick prompts', () => {
      for (const action of [ui.del, ui.cancel]) {
        assertChinese('progress', action.phrases.progress(1));
        assertChinese('progress', action.phrases.progress(12));
        assertChinese('select some', action.phrases.selectSome, true);
        assertChinese('consequence', action.phrases.consequence, true);
      }
      assertChinese('skipped', ui.cancel.phrases.skipped?.(1), true);
      assertChinese('skipped', ui.cancel.phrases.skipped?.(4), true);
    });
  });

  it('the confirmation: a question, the jobs, the clusters, the consequence', () => {
    const name = (batch: ClusterBatch) => nameOf(batch);
    const cases: ClusterBatch[][] = [
      [{ account: cfd.account, zone: cfd.zone, clusterId: cfd.clusterId, jobs: jobsOf(cfd, 1) }],
      [{ account: cfd.account, zone: cfd.zone, clusterId: cfd.clusterId, jobs: jobsOf(cfd, 3) }],
      [
        { account: cfd.account, zone: cfd.zone, clusterId: cfd.clusterId, jobs: jobsOf(cfd, 4) },
        { account: md.account, zone: md.zone, clusterId: md.clusterId, jobs: jobsOf(md, 3) },
      ],
    ];
    for (const action of [ui.del, ui.cancel]) {
      for (const batches of cases) {
        const { message, detail } = ui.summary.confirmationText(batches, action.phrases, name);
        assertChinese('question', message, true);
        // The job lines hold only names and ids: nothing to translate, but the brackets are Chinese.
        detail.split('\n').filter(Boolean).forEach((line) => assert.deepEqual(chineseProblems(line), [], line));
        detail.split('\n').filter((line) => /\p{Script=Han}/u.test(line)).forEach((line) => assertChinese('detail line', line));
      }
    }
    const { detail } = ui.summary.confirmationText(cases[2], ui.del.phrases, name);
    assert.match(detail, /^• sim run 1（hpcjob-cf0）$/mu);
    assert.match(detail, /^集群：cfd-prod、md-test$/mu);
  });

  it('the tree: clusters in every state, jobs in every state', () => {
    const seen = new Set<string>();
    for (const cluster of clusters) {
      for (const list of [undefined, { nodes: [], totalCount: 1 }, { nodes: [], totalCount: 240 }]) {
        for (const filtered of [false, true]) {
          const item = ui.items.clusterItem(cluster, list, filtered);
          assertChinese(`${cluster.status}: description`, String(item.description));
          assertChinese(`${cluster.status}: tooltip`, tooltipText(item));
          seen.add(String(item.description).split(' · ')[0]);
        }
      }
    }
    assert.equal(seen.size, clusters.length, `each cluster state has its own label: ${[...seen].join(' ')}`);
    assert.equal(ui.items.clusterItem(cfd, undefined).description, '活跃 · 运行中 3 个，排队中 2 个 · ehpc-a1b2c3d4');
    assert.equal(ui.items.clusterItem(cfd, { nodes: [], totalCount: 7 }, true).description, '活跃 · 运行中 3 个，排队中 2 个 · 7 个符合筛选条件 · ehpc-a1b2c3d4');
    assert.match(tooltipText(ui.items.clusterItem(cfd, { nodes: [], totalCount: 7 })), /^作业数：7 {2}$/mu);
    assert.match(tooltipText(ui.items.clusterItem(cfd, undefined)), /^状态：活跃 {2}$/mu);
    for (const job of jobs) {
      for (const busyKind of [undefined, 'deleting', 'cancelling'] as const) {
        for (const watched of [false, true]) {
          const item = ui.items.jobItem(job, busyKind, { watched, cancelling: false });
          assertChinese(`${job.status}: description`, String(item.description));
          // Markdown's hard line breaks (two spaces) are not prose.
          assertChinese(`${job.status}: tooltip`, ui.jobTooltip.jobTooltip(job, watched).value.replace(/ {2}$/gm, ''));
        }
      }
    }
    assert.match(ui.jobTooltip.jobTooltip(jobs[3], false).value, /^状态：失败 {2}$/mu);
  });

  it('the tree: a row that says what failed', async () => {
    const model = { jobs: () => Promise.reject(denied()), loadedJobList: () => undefined, partsOf: () => [], clusters: () => Promise.reject(busy()), filter: {} } as unknown as ClusterModel;
    const provider = new ui.provider.ClusterTreeProvider(model, {} as Pick<Accounts, 'find' | 'connection'>, { kind: () => undefined } as unknown as BusyMarks);
    const rows = [
      ...(await provider.getChildren({ kind: 'zone', account: ACCOUNT, zone: 'jn1a', parent: undefined })),
      ...(await provider.getChildren({ kind: 'cluster', cluster: cfd, parent: undefined })),
    ];
    assert.equal(rows.length, 2);
    for (const row of rows) {
      const { label } = provider.getTreeItem(row);
      assertChinese('error row', typeof label === 'string' ? label : label?.label, true);
    }
  });

  it('the filter above the rows', async () => {
    const labels: string[] = [];
    for (const filter of [{ status: 'exited' }, { searchWord: 'sim run' }, { status: 'stopped', searchWord: 'sim run' }]) {
      const treeView = {} as vscode.TreeView<unknown>;
      await new ui.filter.FilterState({} as vscode.Memento, { filter } as unknown as ClusterModel, treeView).show();
      assertChinese('filter', treeView.message);
      labels.push(String(treeView.message));
    }
    assert.deepEqual(labels, ['筛选：失败', '筛选：“sim run”', '筛选：已停止，“sim run”']);
  });

  it('the cluster picker shows the state in Chinese', async () => {
    const shown: vscode.QuickPickItem[][] = [];
    Object.assign(fake.window, {
      createQuickPick: () => {
        let hide = (): unknown => undefined;
        return {
          set items(items: vscode.QuickPickItem[]) {
            shown.push(items);
            hide();
          },
          onDidAccept: () => undefined,
          onDidHide: (listener: () => unknown) => (hide = listener),
          dispose: () => undefined,
          show: () => undefined,
        };
      },
    });
    try {
      await ui.prompts.vscodePrompts.pickCluster(Promise.resolve(clusters), ui.del.phrases.pickTitle);
    } finally {
      delete (fake.window as { createQuickPick?: unknown }).createQuickPick;
    }
    assert.equal(shown.length, 1);
    shown[0].forEach((item) => assertChinese('picker detail', item.detail));
    assert.equal(shown[0][0].detail, 'jn1a · 活跃');
  });

  it('the status bar while jobs are watched: the state before the count, the fields of a job apart', () => {
    const item = { show: () => undefined, hide: () => undefined, dispose: () => undefined } as unknown as vscode.StatusBarItem;
    Object.assign(fake, { StatusBarAlignment: { Left: 1, Right: 2 } });
    Object.assign(fake.window, { createStatusBarItem: () => item });
    const now = Date.parse('2026-11-30T02:00:00Z');
    const watched = (status: JobStatus, i: number) => ({ ...jobs[i], status, since: now - 600_000, startedTime: undefined });
    try {
      const bar = new ui.statusBar.WatchStatusBar(() => 'cfd-prod');
      bar.update([watched('running', 0), watched('pending', 1), watched('pending', 2)], now);
      assert.equal(bar.text, '$(server-process) EHPC 作业：运行中 1 个 · 排队中 2 个');
      const tooltip = (item.tooltip as vscode.MarkdownString).value;
      assert.match(tooltip, /^\*\*监视中的 EHPC 作业\*\*$/mu);
      assert.match(tooltip, /^sim run 1：cfd\\-prod · 运行中 · 10 分 0 秒 {2}$/mu);
      assertChinese('status bar tooltip', tooltip.replace(/\\/g, ''));
      bar.update([watched('finished', 3)], now);
      assert.equal(bar.text, '$(server-process) EHPC 作业：监视中 1 个');
      assert.equal(item.name, 'EHPC 监视中的作业');
    } finally {
      delete (fake.window as { createStatusBarItem?: unknown }).createStatusBarItem;
    }
  });

  it('the run-user picker names the roles as the console does, and shows any other as sent', () => {
    assert.deepEqual(['admin', 'boss', 'member', 'operator', undefined].map(ui.userRole.roleLabel), ['管理员', '管理员', '普通用户', 'operator', undefined]);
  });

  it('a job the view cannot show: one sentence, the log in its parentheses', async () => {
    let told: (message: string) => void = () => undefined;
    const message = new Promise<string>((resolve) => (told = resolve));
    const services = {
      model: { zonesOf: () => ['jn1a'], clusters: () => Promise.reject(new Error('gone')), findCluster: () => undefined },
      treeView: {},
      notifier: { show: (_severity: string, text: string) => (told(text), Promise.resolve(undefined)) },
      log,
    } as unknown as Parameters<typeof ui.reveal.revealJob>[0];
    assert.equal(await ui.reveal.revealJob(services, { account: ACCOUNT, zone: 'jn1a', clusterId: cfd.clusterId }, 'hpcjob-abc'), 'failed');
    assert.equal(await message, '无法在视图中显示作业 hpcjob-abc（详见 EHPC 日志）。');
  });

  it('the message of every error, from every template and factory', function () {
    this.timeout(30_000); // reads the templates from the sources
    for (const error of everyError()) {
      assertChinese(`${error.kind} ${error.template}`, ui.messages.userMessage(error), !error.template.endsWith(': {0}'));
    }
  });
});

describe('the English UI, as rendered', () => {
  let ui: Ui;
  before(() => {
    ui = loadUi('en');
  });

  it('never says "1 jobs" or "1 selected jobs are"', () => {
    const texts: string[] = [];
    for (const action of [ui.del, ui.cancel]) {
      texts.push(action.phrases.progress(1), action.phrases.allDone(1), action.phrases.someDone(0, 1));
      texts.push(ui.summary.summarize(outcome(clusterOutcome(cfd, { remaining: 1, actionError: busy() })), 1, action.phrases, nameOf, log).message);
      texts.push(ui.summary.confirmationText([{ account: cfd.account, zone: cfd.zone, clusterId: cfd.clusterId, jobs: jobsOf(cfd, 1) }], action.phrases, () => 'cfd-prod').message);
    }
    texts.push(ui.cancel.phrases.skipped?.(1) ?? '');
    texts.push(String(ui.items.clusterItem(cfd, { nodes: [], totalCount: 1 }, true).description));
    for (const text of texts) {
      assert.doesNotMatch(text, /\b1 (selected )?jobs\b|\b1 job are\b/, text);
    }
    assert.equal(ui.cancel.phrases.skipped?.(1), '1 job is neither pending nor running, so it was left alone.');
    assert.equal(ui.items.clusterItem(cfd, { nodes: [], totalCount: 1 }, true).description, 'active · 3 running, 2 pending · 1 matches filter · ehpc-a1b2c3d4');
    assert.equal(ui.items.clusterItem(cfd, { nodes: [], totalCount: 2 }, true).description, 'active · 3 running, 2 pending · 2 match filter · ehpc-a1b2c3d4');
  });

  it('keeps the wording of the summary and its punctuation', () => {
    const partial = outcome(
      clusterOutcome(cfd, { done: 30, remaining: 2, actionError: denied() }),
      clusterOutcome(md, { done: 17, unknown: 1, listError: busy() }),
    );
    assert.equal(
      ui.summary.summarize(partial, 7, ui.del.phrases, nameOf, log).message,
      'Confirmed deleted: 47 of 50 jobs; 2 still listed in cluster cfd-prod (Access denied: this key may not do that (PermissionDenied).); 1 sent to cluster md-test, but not checked afterwards (The EHPC service is busy. Try again in a moment.)',
    );
    assert.equal(ui.summary.summarize(outcome(clusterOutcome(cfd, { done: 5 })), 1, ui.del.phrases, nameOf, log).message, 'Deleted 5 jobs.');
  });

  it('says no "(no details)" when the server gave no message', function () {
    this.timeout(30_000);
    const messages = everyError().map((error) => ui.messages.userMessage(error));
    assert.deepEqual(messages.filter((text) => /no details|no answer|\(\)/.test(text)), []);
  });
});

/**
 * What a Chinese user reads as written: the bundle, the manifest's strings and the Chinese
 * README, line by line. The README's sections for developers (performance, simulator, tests,
 * layout) may name the code's own terms, such as 树视图 for a TreeView.
 */
function writtenChinese(): { where: string; text: string; forDevelopers: boolean }[] {
  const values = (file: string) =>
    Object.entries(JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, string>).map(([key, text]) => ({ where: `${file} ${JSON.stringify(key)}`, text, forDevelopers: false }));
  let forDevelopers = false;
  const readme = fs
    .readFileSync(path.join(root, 'README.zh-CN.md'), 'utf8')
    .split('\n')
    .map((text, i) => {
      if (text.startsWith('## ')) {
        forDevelopers = ['## 性能', '## 模拟器', '## 测试', '## 目录结构'].includes(text.trim());
      }
      return { where: `README.zh-CN.md:${i + 1}`, text, forDevelopers };
    });
  return [...values('l10n/bundle.l10n.zh-cn.json'), ...values('package.nls.zh-cn.json'), ...readme];
}

describe('the words of the Simplified Chinese UI', () => {
  const texts = writtenChinese();
  const uses = (word: RegExp, { users = false } = {}) =>
    texts.filter(({ text, forDevelopers }) => word.test(text) && !(users && forDevelopers)).map(({ where, text }) => `${where}: ${text}`);

  it('calls Watch 监视, as VS Code does, never 关注 (a social-media "follow")', () => {
    assert.deepEqual(uses(/关注/u), []);
  });

  it('calls the tree 视图, as VS Code does, never 树', () => {
    assert.deepEqual(uses(/树/u, { users: true }), []);
  });

  it('uses one word for one thing, the console word where there is one', () => {
    // 核心数 (the console's cores), 响应 (response), 注销 (sign out), 查看详情 (Show Details), and
    // 取消 for a cancel under way: 停止 is the label of another final state.
    assert.deepEqual(uses(/核数|应答|退出登录|显示详情|详细信息|停止操作|仍在停止|直到它们?停止|活动状态/u), []);
  });

  it('puts asides in full-width brackets, step counters such as （1/2） too', () => {
    const strings = texts.filter(({ where }) => !where.startsWith('README'));
    assert.deepEqual(strings.filter(({ text }) => /[()]/.test(text.replace(/\]\([^)\s]+\)/g, ''))).map(({ where, text }) => `${where}: ${text}`), []);
  });

  it('quotes the names of accounts and queues, which are often Chinese (“个人”, “默认队列”)', () => {
    const english = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    const chinese = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const unquoted = Object.keys(english).flatMap((key) =>
      [...key.matchAll(/\b(?:account|Account|named|queue|Queue|Sign In to|renamed to) (\{\d\})/g)]
        .filter(([, placeholder]) => !chinese[key].includes(`“${placeholder}”`))
        .map(() => `${key} → ${chinese[key]}`),
    );
    assert.ok(Object.keys(english).filter((key) => /\baccount \{\d\}/.test(key)).length >= 8, 'the account messages are found');
    assert.deepEqual(unquoted, []);
  });
});
