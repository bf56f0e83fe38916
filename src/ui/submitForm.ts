// The Submit Job form: cluster, queue, run user, name, cores, memory and time limit, one
// quick input each, with Back. Values come prefilled (from #SBATCH lines, or from the job
// being resubmitted); the form only asks and checks, the command sends.
import * as vscode from 'vscode';
import { clusterKey } from '../ehpc/batch';
import { Cluster, ClusterUser, Queue, QueueLoad } from '../ehpc/types';
import { askInTurn, QUEUE_LOADS } from '../ehpc/queueLoads';
import { formatDuration, formatMemory, parseCores, parseDuration, parseMemory, queueCores } from '../submit/limits';
import { clusterStatusLabel } from '../text/statusLabels';
import { freeSlotsText } from '../text/slots';
import { BACK, DONE, inputStep, PickItem, pickSection, pickStep, runSteps, StepPlace, StepResult } from './multiStep';
import { acceptsJobs } from '../submit/clusterInfo';
import { clusterState } from '../clusters/state';
import { MAX_JOB_NAME_CHARS } from '../submit/form';
import { hasUploadHome } from '../submit/script';
import type { SbatchField } from '../submit/drafts';
import { roleLabel } from './userRole';
import { timeLimitText } from './submitText';

/** What the form starts from; every field may be missing. */
export interface SubmitFormInitial {
  clusterKey?: string;
  /** Preselects the queue with this id, else the one with this partition or name (#SBATCH -p), else the default. */
  queueId?: string;
  queueName?: string;
  /** The queue name is the script's #SBATCH partition: its queue is marked so. */
  queueFromScript?: boolean;
  runUser?: string;
  name: string;
  command?: string;
  cores?: number;
  memLimitMb?: number;
  timeLimitMinutes?: number;
}

export interface SubmitFormRequest {
  readonly title: string;
  /** No script: the form asks for the command line too. */
  readonly asksCommand: boolean;
  readonly initial: SubmitFormInitial;
  /**
   * Where the summary of the values comes ("Submit with these settings" first, then one item
   * per field to change): after the cluster (a script), or first (a job resubmitted, whose
   * cluster is known). Without it, every step in turn.
   */
  readonly summary?: 'afterCluster' | 'first';
  /** The first values are the answers given last time, when the confirmation was cancelled: the summary says so. */
  readonly offeredBack?: boolean;
  /** A workspace script the resubmitted job was submitted from, still there: the summary offers to upload it again. */
  readonly reupload?: string;
  /** The fields whose first values come from the script's #SBATCH lines changed since the answers offered back: the summary says so. */
  readonly sbatchChanged?: readonly SbatchField[];
  /** The clusters to offer, the one to start on first. */
  clusters(): Promise<Cluster[]>;
  queues(cluster: Cluster): Promise<Queue[]>;
  /** How busy a queue is (its free slots), when that can be asked: the queue step shows it as it arrives. */
  queueLoad?(cluster: Cluster, queue: Queue): Promise<QueueLoad>;
  users(cluster: Cluster): Promise<ClusterUser[]>;
  /** The run user last chosen on this cluster. */
  lastRunUser(cluster: Cluster): string | undefined;
}

export interface SubmitFormValues {
  cluster: Cluster;
  /** Undefined when the cluster lists no queues: its default queue takes the job. */
  queue: Queue | undefined;
  runUser: ClusterUser;
  name: string;
  /** Only when the form asked for it. */
  command?: string;
  cores: number;
  memLimitMb?: number;
  timeLimitMinutes?: number;
}

/** The summary's choice to upload the workspace script again instead (see SubmitFormRequest.reupload). */
export interface ReuploadChoice {
  readonly reupload: true;
}

type Field = 'command' | 'cluster' | 'queue' | 'runUser' | 'name' | 'cores' | 'memory' | 'time';
/**
 * What the summary says under a field whose value is not simply the first one: another one
 * offered because the first is gone (`warn`: the summary opens on it), or one taken from the
 * script's changed #SBATCH lines. Answering the field's step clears it.
 */
export interface FieldNote {
  readonly text: string;
  readonly warn?: boolean;
}
export type FieldNotes = Partial<Record<Field, FieldNote>>;
type SummaryChoice = { kind: 'submit' } | { kind: 'reupload' } | { kind: 'edit'; field: Field };
type Step = (place: StepPlace) => Promise<StepResult<unknown>>;

/** Undefined when the user closes the form. Rejects when a look-up (queues, users) fails. */
export async function showSubmitForm(request: SubmitFormRequest): Promise<SubmitFormValues | ReuploadChoice | undefined> {
  const { initial } = request;
  const state: Partial<SubmitFormValues> = { name: initial.name, command: initial.command, cores: initial.cores ?? 1, memLimitMb: initial.memLimitMb, timeLimitMinutes: initial.timeLimitMinutes };
  const steps: Step[] = [];
  const at = new Map<Field | 'summary', number>();
  const notes: FieldNotes = Object.fromEntries((request.sbatchChanged ?? []).map((field) => [field, { text: vscode.l10n.t('From the script\'s #SBATCH lines, changed since your last answers') }]));
  const add = (field: Field | 'summary', step: Step) => {
    at.set(field, steps.length);
    steps.push(
      field === 'summary'
        ? step
        : async (place) => {
            const result = await step(place);
            if (result !== undefined && result !== BACK) {
              delete notes[field];
            }
            return result;
          },
    );
  };
  let reupload = false;
  // Each queue's load, asked once while the form is open (Back and forth asks no more).
  const loads = new Map<string, Promise<QueueLoad | undefined>>();
  const summary: Step = async (place) => {
    const choice = await summaryStep(place, request, state, notes);
    if (choice === undefined || choice === BACK) {
      return choice;
    }
    if (choice.kind === 'edit') {
      return { goTo: at.get(choice.field) ?? 0 };
    }
    reupload = choice.kind === 'reupload';
    return DONE;
  };
  if (request.summary === 'first') {
    add('summary', summary);
  }
  if (request.asksCommand) {
    add('command', (place) =>
      assign(
        inputStep(place, {
          prompt: vscode.l10n.t('The command line the job runs on the cluster'),
          placeholder: 'srun ./train --epochs 10',
          value: state.command ?? '',
          validate: commandProblem,
        }),
        (value) => (state.command = value.trim()),
      ),
    );
  }
  add('cluster', (place) =>
    assign(
      pickStep<Cluster>(place, {
        placeholder: vscode.l10n.t('Cluster to run the job on'),
        items: request.clusters().then(clusterItems),
        isActive: (cluster) => clusterKey(cluster) === (state.cluster ? clusterKey(state.cluster) : initial.clusterKey),
      }),
      (cluster) => {
        if (!state.cluster || clusterKey(state.cluster) !== clusterKey(cluster)) {
          state.queue = undefined;
          state.runUser = undefined;
        }
        state.cluster = cluster;
      },
    ),
  );
  if (request.summary === 'afterCluster') {
    add('summary', summary);
  }
  add('queue', (place) => pickQueue(place, request, state, loads));
  add('runUser', (place) => {
    const cluster = state.cluster as Cluster;
    const preferred = preferredUser(request, state, cluster);
    return assign(
      pickStep<ClusterUser>(place, {
        placeholder: vscode.l10n.t('Linux user of {0} the job runs as', cluster.name),
        items: request.users(cluster).then((users) =>
          users.map((user) => ({ label: user.username, description: roleLabel(user.role), detail: user.homeDir, value: user, refusal: request.asksCommand ? undefined : homeRefusal(user) })),
        ),
        isActive: (user) => user.username === preferred,
      }),
      (user) => (state.runUser = user),
    );
  });
  add('name', (place) =>
    assign(
      inputStep(place, { prompt: vscode.l10n.t('Job name'), value: state.name ?? '', validate: nameProblem }),
      (value) => (state.name = value.trim()),
    ),
  );
  add('cores', (place) =>
    assign(
      inputStep(place, {
        prompt: coresPrompt(state.queue),
        value: String(state.cores ?? 1),
        validate: (value) => coresProblem(value, state.queue),
      }),
      (value) => (state.cores = parseCores(value)),
    ),
  );
  add('memory', (place) =>
    assign(
      inputStep(place, {
        prompt: vscode.l10n.t('Memory limit, such as 512M or 4G (leave empty for none)'),
        value: state.memLimitMb === undefined ? '' : formatMemory(state.memLimitMb),
        validate: (value) => (value.trim() === '' || parseMemory(value.trim()) !== undefined ? undefined : vscode.l10n.t('Enter a size such as 512M or 4G, or leave it empty.')),
      }),
      (value) => (state.memLimitMb = value.trim() ? parseMemory(value.trim()) : undefined),
    ),
  );
  add('time', (place) =>
    assign(
      inputStep(place, {
        prompt: vscode.l10n.t('Time limit, such as 30, 1:30:00 or 2-00:00:00 (leave empty for none)'),
        value: state.timeLimitMinutes === undefined ? '' : formatDuration(state.timeLimitMinutes),
        validate: (value) =>
          value.trim() === '' || parseDuration(value.trim()) !== undefined ? undefined : vscode.l10n.t('Enter minutes, hours:minutes:seconds or days-hours:minutes:seconds, or leave it empty.'),
      }),
      (value) => (state.timeLimitMinutes = value.trim() ? parseDuration(value.trim()) : undefined),
    ),
  );
  // With a summary, the straight path ends there: the fields it opens are counted apart.
  const summaryAt = at.get('summary');
  if (!(await runSteps(steps, request.title, 0, summaryAt === undefined ? steps.length : summaryAt + 1))) {
    return undefined;
  }
  return reupload ? { reupload: true } : (state as SubmitFormValues);
}

/** The run user to offer: the one chosen in this form, a resubmitted job's own on its cluster, else the last one chosen there. */
function preferredUser(request: SubmitFormRequest, state: Partial<SubmitFormValues>, cluster: Cluster): string | undefined {
  const { initial } = request;
  const fromJob = clusterKey(cluster) === initial.clusterKey ? initial.runUser : undefined;
  return state.runUser?.username ?? fromJob ?? request.lastRunUser(cluster);
}

/** The queue to offer: the one chosen in this form, else the first values' (by id, then by partition or name), else the default. */
function isPreferredQueue(initial: SubmitFormInitial, state: Partial<SubmitFormValues>, queue: Queue): boolean {
  return state.queue ? queue.queueId === state.queue.queueId
    : initial.queueId ? queue.queueId === initial.queueId
    : initial.queueName ? queue.partitionName === initial.queueName || queue.name === initial.queueName
    : queue.isDefault;
}

/**
 * One pick of every value: "Submit with these settings" first, then an item per field that
 * opens its step. The queue and run user not chosen yet are the ones their steps would offer
 * first; the Submit item is refused, saying why, while a value would not pass its step.
 */
async function summaryStep(place: StepPlace, request: SubmitFormRequest, state: Partial<SubmitFormValues>, notes: FieldNotes): Promise<StepResult<SummaryChoice>> {
  const items = (async (): Promise<PickItem<SummaryChoice>[]> => {
    const { initial } = request;
    if (!state.cluster) {
      state.cluster = (await request.clusters()).find((cluster) => clusterKey(cluster) === initial.clusterKey);
    }
    const cluster = state.cluster;
    const queues = cluster ? await request.queues(cluster) : [];
    const users = cluster ? await request.users(cluster) : [];
    if (cluster) {
      const offered = (user: ClusterUser) => request.asksCommand || homeRefusal(user) === undefined;
      const queue = queues.find((candidate) => isPreferredQueue(initial, state, candidate));
      const preferred = preferredUser(request, state, cluster);
      const user = users.find((candidate) => candidate.username === preferred && offered(candidate));
      // Not chosen in this form yet: when the first value is gone, the summary says what stands in for it.
      if (!state.queue && queues.length > 0) {
        notes.queue = queue ? notes.queue : goneQueue(initial, cluster);
      }
      if (!state.runUser) {
        notes.runUser = user ? undefined : goneUser(request, cluster, users);
      }
      state.queue = queue ?? queues.find((candidate) => candidate.isDefault) ?? queues[0];
      state.runUser = user ?? users.find(offered);
    }
    return summaryItems(request, state, queues.length > 0, notes);
  })();
  // A value put in place of one that is gone is where the summary opens: the user looks first.
  const warned = () => (['queue', 'runUser'] as const).find((field) => notes[field]?.warn);
  return pickStep<SummaryChoice>(place, {
    placeholder: vscode.l10n.t('Submit with these settings, or pick one to change'),
    items,
    isActive: (choice) => (warned() ? choice.kind === 'edit' && choice.field === warned() : choice.kind === 'submit'),
  });
}

/** Why the first values' queue is not offered: it is no longer one of the cluster's (or #SBATCH -p names none of them). */
function goneQueue(initial: SubmitFormInitial, cluster: Cluster): FieldNote | undefined {
  const wanted = initial.queueName ?? initial.queueId;
  if (wanted === undefined || (clusterKey(cluster) !== initial.clusterKey && !initial.queueFromScript)) {
    return undefined;
  }
  return {
    text: initial.queueFromScript ? vscode.l10n.t('#SBATCH -p {0} is not a queue of {1}', wanted, cluster.name) : vscode.l10n.t('{0} is no longer a queue of {1}', wanted, cluster.name),
    warn: true,
  };
}

/** Why the first values' run user is not offered: gone from the cluster, or without a full home path for a script. */
function goneUser(request: SubmitFormRequest, cluster: Cluster, users: readonly ClusterUser[]): FieldNote | undefined {
  const { initial } = request;
  const wanted = clusterKey(cluster) === initial.clusterKey ? initial.runUser : undefined;
  if (wanted === undefined) {
    return undefined;
  }
  const listed = users.find((user) => user.username === wanted);
  return {
    text: listed ? vscode.l10n.t('{0} no longer has a home directory given as a full path', wanted) : vscode.l10n.t('{0} is no longer a user of {1}', wanted, cluster.name),
    warn: true,
  };
}

/** The summary's items (see summaryStep); `hasQueues`: the cluster lists queues to choose from. */
export function summaryItems(
  request: Pick<SubmitFormRequest, 'asksCommand' | 'offeredBack' | 'reupload' | 'summary'>,
  state: Partial<SubmitFormValues>,
  hasQueues: boolean,
  notes: FieldNotes = {},
): PickItem<SummaryChoice>[] {
  const problem = summaryProblem(request, state);
  const none = vscode.l10n.t('none');
  const noted = (note: FieldNote | undefined) => (note ? `${note.warn ? '$(warning)' : '$(info)'} ${note.text}` : undefined);
  const field = (label: string, value: string | undefined, edit: Field): PickItem<SummaryChoice> => ({ label, description: value, detail: noted(notes[edit]), value: { kind: 'edit', field: edit } });
  const fromLastTime = Object.values(notes).some((note) => note && !note.warn)
    ? vscode.l10n.t('your answers from last time, with the script\'s new #SBATCH lines')
    : vscode.l10n.t('your answers from last time');
  const { cluster, queue, runUser } = state;
  return [
    {
      label: `$(rocket) ${request.summary === 'first' ? vscode.l10n.t('Resubmit with these settings') : vscode.l10n.t('Submit with these settings')}`,
      description: request.offeredBack ? fromLastTime : undefined,
      detail: problem,
      value: { kind: 'submit' },
      refusal: problem,
    },
    ...(request.reupload !== undefined
      ? [{ label: `$(cloud-upload) ${vscode.l10n.t('Upload {0} again and submit it', request.reupload)}`, detail: vscode.l10n.t('The script as it is now, with its #SBATCH lines'), value: { kind: 'reupload' } as const }]
      : []),
    pickSection<SummaryChoice>(vscode.l10n.t('Change')),
    ...(request.asksCommand ? [field(vscode.l10n.t('Command'), state.command, 'command')] : []),
    field(vscode.l10n.t('Cluster'), cluster?.name, 'cluster'),
    ...(hasQueues ? [field(vscode.l10n.t('Queue'), queue?.name, 'queue')] : []),
    field(vscode.l10n.t('Run as'), runUser?.username, 'runUser'),
    field(vscode.l10n.t('Job name'), state.name, 'name'),
    field(vscode.l10n.t('Cores'), String(state.cores ?? 1), 'cores'),
    field(vscode.l10n.t('Memory limit'), state.memLimitMb === undefined ? none : formatMemory(state.memLimitMb), 'memory'),
    field(vscode.l10n.t('Time limit'), state.timeLimitMinutes === undefined ? none : timeLimitText(state.timeLimitMinutes), 'time'),
  ];
}

/** What stops the values from being submitted as they are: the first problem a step would show. */
function summaryProblem(request: Pick<SubmitFormRequest, 'asksCommand'>, state: Partial<SubmitFormValues>): string | undefined {
  const { cluster, runUser } = state;
  if (!cluster) {
    return vscode.l10n.t('The cluster is no longer listed. Pick a cluster.');
  }
  if (!acceptsJobs(cluster) && !startable(cluster)) {
    return clusterRefusal(cluster);
  }
  if (!runUser) {
    return vscode.l10n.t('{0} lists no user the job can run as.', cluster.name);
  }
  return (
    (request.asksCommand ? commandProblem(state.command ?? '') : homeRefusal(runUser)) ??
    nameProblem(state.name ?? '') ??
    coresProblem(String(state.cores ?? 1), state.queue)
  );
}

function commandProblem(value: string): string | undefined {
  return value.trim() ? undefined : vscode.l10n.t('Enter the command the job runs.');
}

function nameProblem(value: string): string | undefined {
  return !value.trim() ? vscode.l10n.t('Enter a name for the job.')
    : value.trim().length > MAX_JOB_NAME_CHARS ? vscode.l10n.t('A job name is at most {0} characters.', MAX_JOB_NAME_CHARS)
    : undefined;
}

function pickQueue(place: StepPlace, request: SubmitFormRequest, state: Partial<SubmitFormValues>, loads: Map<string, Promise<QueueLoad | undefined>>): Promise<StepResult<unknown>> {
  const cluster = state.cluster as Cluster;
  const { initial } = request;
  const preferred = (queue: Queue) => isPreferredQueue(initial, state, queue);
  return request.queues(cluster).then((queues) => {
    if (queues.length === 0) {
      // Nothing to choose: the cluster's default queue takes the job. Back skips this step too.
      state.queue = undefined;
      return place.cameBack ? BACK : null;
    }
    // The queues show at once; each one's free slots join it when describeQueue answers.
    const known = new Map<string, QueueLoad>();
    const asked = request.queueLoad ? loadsOf(loads, request, cluster, queues) : [];
    return assign(
      pickStep(place, {
        placeholder: vscode.l10n.t('Queue of {0}', cluster.name),
        items: Promise.resolve(queueItems(queues, known, initial.queueFromScript ? initial.queueName : undefined)),
        isActive: preferred,
        updates: (show) => {
          for (const { queue, load } of asked) {
            void load.then((answer) => {
              if (answer) {
                known.set(queue.queueId, answer);
                show(queueItems(queues, known, initial.queueFromScript ? initial.queueName : undefined));
              }
            });
          }
        },
      }),
      (queue) => (state.queue = queue),
    );
  });
}

/**
 * The first queues' loads (askInTurn's bounds), each asked once per form; a load that could not
 * be had is undefined (the queue shows without it), as is every queue's past the first ones.
 */
function loadsOf(loads: Map<string, Promise<QueueLoad | undefined>>, request: SubmitFormRequest, cluster: Cluster, queues: readonly Queue[]): { queue: Queue; load: Promise<QueueLoad | undefined> }[] {
  const key = (queue: Queue) => `${clusterKey(cluster)}/${queue.queueId}`;
  const first = queues.slice(0, QUEUE_LOADS);
  const fresh = first.filter((queue) => !loads.has(key(queue)));
  askInTurn(fresh, (queue) => request.queueLoad!(cluster, queue).catch(() => undefined)).forEach((load, index) => loads.set(key(fresh[index]), load));
  return first.map((queue) => ({ queue, load: loads.get(key(queue))! }));
}

/**
 * The queue step's items: each queue with its partition (when it is not also its name), size
 * and, when known, free slots; `fromScript`: the partition #SBATCH asked for, marked so.
 */
export function queueItems(queues: readonly Queue[], loads: ReadonlyMap<string, QueueLoad>, fromScript?: string): PickItem<Queue>[] {
  return queues.map((queue) => ({
    label: queue.name,
    description:
      [
        queue.partitionName !== queue.name ? queue.partitionName : undefined,
        queue.isDefault ? vscode.l10n.t('default') : undefined,
        fromScript !== undefined && (queue.partitionName === fromScript || queue.name === fromScript) ? vscode.l10n.t('from #SBATCH') : undefined,
      ]
        .filter(Boolean)
        .join(' · ') || undefined,
    detail: [queueDetail(queue), freeSlotsText(loads.get(queue.queueId)?.freeSlots)].filter(Boolean).join(' · ') || undefined,
    value: queue,
  }));
}

function queueDetail(queue: Queue): string | undefined {
  const parts = [
    queue.nodeCount !== undefined ? vscode.l10n.t('{0} nodes', queue.nodeCount) : undefined,
    queue.cpuNum !== undefined ? vscode.l10n.t('{0} cores', queue.cpuNum) : undefined,
    queue.memSizeGb !== undefined ? vscode.l10n.t('{0} GB memory', queue.memSizeGb) : undefined,
    queue.gpuNum ? vscode.l10n.t('{0} GPUs', queue.gpuNum) : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length ? parts.join(' · ') : undefined;
}

/** The cores step's prompt says what caps the job, or that the cluster checks it. */
function coresPrompt(queue: Queue | undefined): string {
  const cores = queue ? queueCores(queue) : undefined;
  if (!queue) {
    return vscode.l10n.t('Cores');
  }
  return cores
    ? vscode.l10n.t('Cores (queue {0}: at most {1}, {2} nodes of {3} cores)', queue.name, cores.max, cores.nodes, cores.perNode)
    : vscode.l10n.t('Cores (queue {0} does not list its nodes: the cluster checks the number)', queue.name);
}

function coresProblem(value: string, queue: Queue | undefined): string | undefined {
  const cores = parseCores(value.trim());
  if (cores === undefined) {
    return vscode.l10n.t('Enter a whole number of cores, 1 or more.');
  }
  const cap = queue ? queueCores(queue) : undefined;
  if (queue && cap && cores > cap.max) {
    return vscode.l10n.t('Queue {0} offers at most {1} cores ({2} nodes of {3} cores).', queue.name, cap.max, cap.nodes, cap.perNode);
  }
  return undefined;
}

/**
 * Clusters that take jobs first; then shut-down ones, which Start and Submit starts first;
 * the others (suspended, starting, stopping, being created) in a section of their own,
 * refused when chosen: the server refuses them after the paid question.
 */
export function clusterItems(clusters: readonly Cluster[]): PickItem<Cluster>[] {
  const item = (cluster: Cluster): PickItem<Cluster> => ({
    ...clusterPickItem(cluster, clusters),
    value: cluster,
    refusal: acceptsJobs(cluster) || startable(cluster) ? undefined : clusterRefusal(cluster),
  });
  const active = clusters.filter(acceptsJobs);
  const stopped = clusters.filter(startable);
  const others = clusters.filter((cluster) => !acceptsJobs(cluster) && !startable(cluster));
  return [
    ...active.map(item),
    ...(stopped.length ? [pickSection<Cluster>(vscode.l10n.t('Shut down: Start and Submit starts it first')), ...stopped.map(item)] : []),
    ...(others.length ? [pickSection<Cluster>(vscode.l10n.t('Not accepting jobs')), ...others.map(item)] : []),
  ];
}

function clusterRefusal(cluster: Cluster): string {
  return vscode.l10n.t('Cluster {0} is {1} and does not accept jobs. Pick an active cluster.', cluster.name, clusterStatusLabel(cluster.status));
}

/** A shut-down cluster with no start or stop under way: Start and Submit can take it. */
export function startable(cluster: Cluster): boolean {
  return clusterState(cluster) === 'stopped';
}

/** A script is uploaded to the run user's home: one the cluster does not list as a full path has no place for it. */
export function homeRefusal(user: ClusterUser): string | undefined {
  return hasUploadHome(user.homeDir)
    ? undefined
    : vscode.l10n.t('{0} has no home directory on the cluster given as a full path, so the script has nowhere to go. Pick another user.', user.username);
}

/** Stores a step's answer, passing BACK and undefined through. */
async function assign<T>(result: Promise<StepResult<T>>, store: (value: T) => void): Promise<StepResult<T>> {
  const value = await result;
  if (value !== undefined && value !== BACK) {
    store(value);
  }
  return value;
}

/** A cluster as a picker shows it; the account too when the clusters are of several (in the description, which typing matches). */
export function clusterPickItem(cluster: Cluster, all: readonly Cluster[]): vscode.QuickPickItem {
  const several = all.some((other) => other.account !== cluster.account);
  return { label: cluster.name, description: several ? `${cluster.account} · ${cluster.clusterId}` : cluster.clusterId, detail: [cluster.zone, clusterStatusLabel(cluster.status)].join(' · ') };
}

/** The clusters as a picker lists them: under a line per account when there are several. */
export function clusterPickItems(clusters: readonly Cluster[]): PickItem<Cluster>[] {
  const accounts = [...new Set(clusters.map((cluster) => cluster.account))];
  const item = (cluster: Cluster): PickItem<Cluster> => ({ ...clusterPickItem(cluster, clusters), value: cluster });
  return accounts.length < 2
    ? clusters.map(item)
    : accounts.flatMap((account) => [pickSection<Cluster>(account), ...clusters.filter((cluster) => cluster.account === account).map(item)]);
}
