// A job's output or error file in a read-only tab (`ehpc-output:`), read over SSH from the
// cluster's login node: an ended job's once, a running job's followed as it grows until the
// extension learns that the job ended. Each tab holds at most the end of the file; following
// costs no API call while the job writes (see EndChecks for one that is quiet), and stops when
// the tab is closed.
import * as vscode from 'vscode';
import { JobRef } from '../ehpc/batch';
import { EhpcError } from '../ehpc/errors';
import { JobStatus } from '../ehpc/types';
import { retryable, SshError } from '../ssh/errors';
import { Follower, FollowState } from '../ssh/follower';
import { describeTried, JobFiles, JobStream, outputCandidates } from '../ssh/paths';
import { sftpFileSource } from '../ssh/sftpSource';
import type { ClusterModel } from '../tree/model';
import { isActive } from '../watch/types';
import { byteSize } from '../text/sizes';
import { EndChecks } from './endChecks';
import type { Login, LoginNodes } from './login';
import { OutputWindow } from './window';

import { OUTPUT_SCHEME } from './scheme';

export { OUTPUT_SCHEME };

/** The most of a file's end a tab holds, in characters (about as many bytes). */
export const WINDOW_CHARS = 2 * 1024 * 1024;

/** `ehpc-output:/<account>/<zone>/<cluster>/<job name> (<hpcjob id>).out|.err`: the file name is the tab's title. */
export function outputUri(job: JobRef, stream: JobStream): vscode.Uri {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const name = job.name.replace(/[/\\]/g, '∕').replace(/[\u0000-\u001f]+/g, ' ');
  const extension = stream === 'output' ? 'out' : 'err';
  return vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: `/${encodeURIComponent(job.account)}/${job.zone}/${job.clusterId}/${name} (${job.hpcjobUuid}).${extension}` });
}

/** The job and stream an output URI is about; undefined for a path outputUri did not make. */
export function jobOfOutputUri(uri: vscode.Uri): { job: JobRef; stream: JobStream } | undefined {
  const match = /^\/([^/]*)\/([^/]+)\/((?:ehpc|hpc)-[^/]+)\/(.*) \(([^()/]+)\)\.(out|err)$/.exec(uri.path);
  if (uri.scheme !== OUTPUT_SCHEME || !match) {
    return undefined;
  }
  try {
    return { job: { account: decodeURIComponent(match[1]), zone: match[2], clusterId: match[3], name: match[4], hpcjobUuid: match[5] }, stream: match[6] === 'out' ? 'output' : 'error' };
  } catch {
    return undefined;
  }
}

/** What a job's detail says of its files and state. */
export interface JobDetailFiles extends JobFiles {
  status: JobStatus;
}

export interface OutputDeps {
  readonly login: Pick<LoginNodes, 'login' | 'refusedInUse'>;
  readonly model: Pick<ClusterModel, 'onDidChange' | 'loadedJobNodes'>;
  readonly log: vscode.LogOutputChannel;
  /** The job's detail: one API call when a tab opens, none while it writes (see EndChecks). */
  detail(job: JobRef): Promise<JobDetailFiles>;
  /** Whether the watch follows the job: it tells the end, no question of ours needed. */
  isWatched?(job: JobRef): boolean;
  readonly windowChars?: number;
  /** Disposed with the tabs' provider (the login nodes' connections). */
  readonly owned?: vscode.Disposable;
}

interface Session {
  readonly job: JobRef;
  readonly login: Login;
  readonly path: string;
  readonly follower: Follower;
  readonly window: OutputWindow;
  /** Why following stopped, or what it waits for: the tab's last line. */
  note?: string;
  /** The job had ended before the tab opened: "the job ended" is no news. */
  endedBefore: boolean;
  /** Shown in a tab at some point: from then on, no tab means closed. */
  seen: boolean;
}

/** A session whose tab never showed (the editor failed to open) is dropped after this. */
const UNSHOWN_MS = 30_000;

export class JobOutputs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sessions = new Map<string, Session>();
  private readonly opening = new Map<string, Promise<vscode.Uri>>();
  /** Tabs restored with the window, read again: undefined while connecting, else why it failed. */
  private readonly restoring = new Map<string, string | undefined>();
  private readonly restored = new Set<string>();
  private readonly pending = new Set<string>();
  private flush: NodeJS.Timeout | undefined;
  /** Jobs followed that nothing else may tell the end of; tests shorten its timing. */
  readonly endChecks = new EndChecks();
  private endTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly deps: OutputDeps) {
    this.disposables = [
      this.changed,
      // Closing the tab stops following: the tabs say what is shown, the documents linger.
      vscode.window.tabGroups.onDidChangeTabs(() => this.dropUnshown()),
      deps.model.onDidChange(() => this.endFinished()),
      // A change told before VS Code made the tab's document is lost: tell it again once it has.
      vscode.workspace.onDidOpenTextDocument((document) => {
        const key = document.uri.toString();
        if (this.restoring.has(key) || this.sessions.has(key)) {
          this.redraw(key);
        }
      }),
    ];
  }

  /**
   * Finds the job's file on its login node and starts reading it; resolves the URI of its
   * tab, or the one already open. Throws, naming the paths tried, when an ended job has none.
   */
  open(job: JobRef, stream: JobStream): Promise<vscode.Uri> {
    const uri = outputUri(job, stream);
    const key = uri.toString();
    if (this.sessions.get(key)?.follower.state === 'failed') {
      this.close(key); // opened again after it stopped on a failure: a new try
    }
    if (this.sessions.has(key)) {
      return Promise.resolve(uri);
    }
    let opening = this.opening.get(key);
    if (!opening) {
      opening = this.start(job, stream, uri).finally(() => this.opening.delete(key));
      this.opening.set(key, opening);
    }
    return opening;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const session = this.sessions.get(uri.toString());
    if (!session) {
      return this.restore(uri);
    }
    const omitted = session.window.omittedBytes;
    const head = omitted > 0 ? vscode.l10n.t('[{0} before this are not shown. Download Output... saves the whole file.]', byteSize(omitted)) + '\n' : '';
    const note = session.note ? `${session.window.content.endsWith('\n') || session.window.content === '' ? '' : '\n'}[${session.note}]\n` : '';
    return head + session.window.content + note;
  }

  /**
   * A tab restored with the window (or reopened after it was closed): read again as Open
   * Output reads it, once; a failure is said in the tab, and Open Output tries again.
   */
  private restore(uri: vscode.Uri): string {
    const key = uri.toString();
    const parsed = jobOfOutputUri(uri);
    // Only an address this extension makes, spelled as it makes it: any other spelling of it
    // would be read under another name, and asked again without end.
    if (!parsed || outputUri(parsed.job, parsed.stream).toString() !== key || this.restored.has(key)) {
      return vscode.l10n.t('Open the output again from the job in the EHPC view to read it.');
    }
    if (!this.restoring.has(key)) {
      this.restoring.set(key, undefined);
      this.open(parsed.job, parsed.stream).then(
        () => {
          this.restoring.delete(key);
          this.restored.add(key); // once per window: after that, Open Output reads it again
          const session = this.sessions.get(key);
          if (session && this.shownTabs().has(key)) {
            session.seen = true; // its tab is already there: no change of tabs will say so
          }
          this.changed.fire(uri);
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          this.deps.log.warn(`Output: ${key} could not be read again: ${message}`);
          this.restoring.set(key, message);
          this.changed.fire(uri);
        },
      );
    }
    const failed = this.restoring.get(key);
    return failed === undefined
      ? vscode.l10n.t('Connecting to the login node to read this file again...')
      : vscode.l10n.t('Could not read this file again: {0} Open it again from the job in the EHPC view to try again.', failed);
  }

  /**
   * What following an open tab has cost so far: bytes received and reads sent (each tick's
   * first read includes the follower's 16-byte check), and the most of the file's end it holds.
   * Read-only, for measuring; undefined when the tab is not open.
   */
  transfer(uri: vscode.Uri): { bytesRead: number; reads: number; windowBytes: number } | undefined {
    const session = this.sessions.get(uri.toString());
    return session && { bytesRead: session.follower.bytesRead, reads: session.follower.reads, windowBytes: this.deps.windowChars ?? WINDOW_CHARS };
  }

  dispose(): void {
    clearTimeout(this.flush);
    clearInterval(this.endTimer);
    for (const key of [...this.sessions.keys()]) {
      this.close(key);
    }
    vscode.Disposable.from(...this.disposables).dispose();
    this.deps.owned?.dispose();
  }

  /**
   * The job's file on its login node, logged in: the first of its paths that exists, or for a
   * job still pending or running the first it will write. The caller releases the login.
   */
  async locate(job: JobRef, stream: JobStream): Promise<{ login: Login; path: string; active: boolean }> {
    const { login, detail } = await this.loginAs(job);
    try {
      const source = sftpFileSource(login.lease);
      const candidates = outputCandidates(detail, stream, login.home);
      const known = candidates.filter((candidate) => candidate.unknownPatterns.length === 0);
      // A state this version does not know may be a running one: followed, as the watch does.
      const active = isActive(detail.status) || detail.status === 'unknown';
      for (const candidate of known) {
        if ((await source.size(candidate.path)) !== undefined) {
          return { login, path: candidate.path, active };
        }
      }
      if (active && known.length > 0) {
        return { login, path: known[0].path, active: true }; // it has not written yet: wait for its first file
      }
      const tried = describeTried(candidates).join(', ');
      throw new SshError(
        'file',
        stream === 'output'
          ? vscode.l10n.t('No output file of job {0} on {1}. Tried: {2}', job.name, login.target.host, tried)
          : vscode.l10n.t('No error file of job {0} on {1}. Tried: {2}', job.name, login.target.host, tried),
      );
    } catch (error) {
      login.lease.release();
      throw error;
    }
  }

  /** Logged in to the job's login node as its run user, with what its detail says. The caller releases the login. */
  async loginAs(job: JobRef): Promise<{ login: Login; detail: JobDetailFiles }> {
    const detail = await this.deps.detail(job);
    if (!detail.runUser) {
      throw new EhpcError('badResponse', 'The job names no run user to log in as.');
    }
    return { login: await this.deps.login.login(job, detail.runUser), detail };
  }

  private async start(job: JobRef, stream: JobStream, uri: vscode.Uri): Promise<vscode.Uri> {
    const { login, path, active } = await this.locate(job, stream);
    this.deps.log.info(`Output: ${job.hpcjobUuid} ${stream} from ${login.target.username}@${login.target.host}:${login.target.port} ${path}`);
    this.begin(uri, job, login, path, !active);
    return uri;
  }

  private begin(uri: vscode.Uri, job: JobRef, login: Login, path: string, endedBefore: boolean): void {
    const key = uri.toString();
    this.restoring.delete(key); // read again: a failure said before is over
    const window = new OutputWindow(this.deps.windowChars ?? WINDOW_CHARS, (bytes) =>
      vscode.l10n.t('[{0} not shown here: they came faster than a tab holds. Download Output... saves the whole file.]', byteSize(bytes)),
    );
    const session: Session = {
      job,
      login,
      path,
      window,
      endedBefore,
      seen: false,
      follower: new Follower(sftpFileSource(login.lease), path, {
        text: (text) => {
          window.append(text);
          this.redraw(key);
          if (!endedBefore) {
            this.endChecks.wrote(endKey(job), performance.now());
          }
        },
        restarted: () => {
          window.clear();
          this.deps.log.info(`Output: ${path} was truncated or replaced; read again from its start`);
          this.redraw(key);
        },
        skipped: (bytes) => window.skipped(bytes),
        state: (state, error) => this.stateChanged(key, state, error),
      }, { windowBytes: this.deps.windowChars ?? WINDOW_CHARS, retryable }),
    };
    this.sessions.set(key, session);
    setTimeout(() => !session.seen && this.sessions.get(key) === session && this.close(key), UNSHOWN_MS).unref?.();
    session.follower.start();
    if (endedBefore) {
      void session.follower.end();
    } else {
      this.endChecks.wrote(endKey(job), performance.now());
      this.endTimer ??= setInterval(() => this.checkEnds(), 1000);
    }
  }

  /**
   * A quiet job nothing told the end of: its state asked of the API (EndChecks says when). A
   * watched job is left to the watch while it is watched.
   */
  private checkEnds(): void {
    if (this.endChecks.size === 0) {
      clearInterval(this.endTimer);
      this.endTimer = undefined;
      return;
    }
    const following = (key: string) => [...this.sessions.values()].filter((session) => endKey(session.job) === key && !session.endedBefore && session.follower.state !== 'ended' && session.follower.state !== 'failed');
    const watched = (key: string) => following(key).some((session) => this.deps.isWatched?.(session.job) === true);
    for (const key of this.endChecks.due(performance.now(), watched)) {
      const [session] = following(key);
      if (!session) {
        this.endChecks.remove(key);
        continue;
      }
      this.deps.detail(session.job).then(
        (detail) => {
          // A state this version does not know is not an end (as the watch reads it).
          if (isActive(detail.status) || detail.status === 'unknown') {
            this.endChecks.answered(key, performance.now());
          } else {
            this.endChecks.remove(key);
            following(key).forEach((each) => void each.follower.end());
          }
        },
        (error: unknown) => {
          this.deps.log.warn(`Output: could not ask whether job ${session.job.hpcjobUuid} has ended: ${error instanceof Error ? error.message : String(error)}`);
          this.endChecks.answered(key, performance.now());
        },
      );
    }
  }

  private stateChanged(key: string, state: FollowState, error: unknown): void {
    const session = this.sessions.get(key);
    if (!session) {
      return;
    }
    switch (state) {
      case 'waiting':
        session.note = vscode.l10n.t('Waiting for the job to write {0}...', session.path);
        break;
      case 'reconnecting':
        session.note = vscode.l10n.t('The connection was lost; connecting again...');
        this.deps.log.warn(`Output: ${session.path}: ${error instanceof Error ? error.message : String(error)}`);
        break;
      case 'failed':
        session.login.lease.release();
        // A login refused on reconnecting: the password is forgotten, and said in the user's words.
        void this.deps.login.refusedInUse(session.job, session.login.target, error).then((said) => {
          session.note = vscode.l10n.t('Stopped: {0} Open it again to try again.', said instanceof Error ? said.message : String(said));
          this.deps.log.error(`Output: ${session.path}: ${session.note}`);
          this.redraw(key);
        });
        break;
      case 'ended':
        session.note = !session.follower.found ? vscode.l10n.t('The job ended without writing {0}.', session.path) : session.endedBefore ? undefined : vscode.l10n.t('The job has ended: following stopped.');
        session.login.lease.release();
        break;
      default:
        session.note = undefined;
    }
    this.redraw(key);
  }

  /** The model learned that a followed job ended (a refresh, the watch): read its last bytes, then stop. */
  private endFinished(): void {
    if (this.sessions.size === 0) {
      return;
    }
    const ended = new Set<string>();
    for (const node of this.deps.model.loadedJobNodes()) {
      if (!isActive(node.job.status) && node.job.status !== 'unknown') {
        ended.add(node.job.hpcjobUuid);
      }
    }
    for (const session of this.sessions.values()) {
      if (ended.has(session.job.hpcjobUuid)) {
        void session.follower.end();
      }
    }
  }

  /**
   * At most one redraw of a tab every 300 ms, however fast the job writes; every second once a
   * tab holds much (each redraw sends VS Code the tab's whole text).
   */
  private redraw(key: string): void {
    this.pending.add(key);
    this.flush ??= setTimeout(() => {
      this.flush = undefined;
      for (const pending of this.pending) {
        this.changed.fire(vscode.Uri.parse(pending));
      }
      this.pending.clear();
    }, (this.sessions.get(key)?.window.content.length ?? 0) > 512 * 1024 ? 1000 : 300);
  }

  private shownTabs(): Set<string> {
    return new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs).flatMap((tab) => (tab.input instanceof vscode.TabInputText ? [tab.input.uri.toString()] : [])));
  }

  private dropUnshown(): void {
    const shown = this.shownTabs();
    for (const [key, session] of [...this.sessions]) {
      if (shown.has(key)) {
        session.seen = true;
      } else if (session.seen) {
        this.close(key);
      }
    }
  }

  private close(key: string): void {
    const session = this.sessions.get(key);
    if (session) {
      this.sessions.delete(key);
      session.follower.dispose();
      session.login.lease.release();
    }
  }
}

/** One end check per job, whichever of its tabs are open. */
function endKey(job: JobRef): string {
  return `${encodeURIComponent(job.account)}/${job.zone}/${job.clusterId}/${job.hpcjobUuid}`;
}
