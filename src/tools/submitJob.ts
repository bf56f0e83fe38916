// ehpc_submitJob: submits a command line, or a shell script of the workspace, to one cluster.
// Every value is checked against what the API lists for that cluster (queues, users) before
// the user is asked, and again before anything is sent; the question shows everything that
// will be sent, and the invoke sends exactly that or nothing. Never retried blindly: when
// the answer is lost, the cluster is listed and the result says what it shows.
import * as path from 'path';
import * as vscode from 'vscode';
import { readScriptFile } from '../batch/scriptFile';
import { showSubmitted } from '../batch/submitted';
import { clusterKey } from '../ehpc/batch';
import { Cluster, ClusterUser, Job, Queue } from '../ehpc/types';
import { parseCores, parseDuration, parseMemory, queueCores } from '../submit/limits';
import { parseSbatch, coresFrom } from '../submit/sbatch';
import { checkScript, hasUploadHome, uploadTarget } from '../submit/script';
import { acceptsJobs } from '../submit/clusterInfo';
import { hasEnded } from '../submit/duplicates';
import { MAX_JOB_NAME_CHARS, SubmitForm, toSubmission } from '../submit/form';
import { sendSubmission, SubmitOutcome, SubmitRequest } from '../submit/send';
import { submitConfirmation } from '../ui/submitText';
import { agentConfirmation, answer, checkBeforeAsking, failureText, findCluster, refuseMalformed, ToolContext } from './common';
import { clusterLabel, reason } from './format';
import { PreparedCalls } from './preparedCalls';

export const SUBMIT_JOB = 'ehpc_submitJob';

interface Input {
  cluster_id: string;
  /** The account whose cluster it is; needed only when two accounts list that id. */
  account?: string;
  cmd_line?: string;
  script_path?: string;
  name?: string;
  queue?: string;
  run_user?: string;
  cores?: number;
  mem_limit?: string;
  time_limit?: string;
}

/** A request that passed every check: what would be sent (the script's target is chosen at the question). */
interface Ready {
  cluster: Cluster;
  queue: Queue | undefined;
  runUser: ClusterUser;
  /** The form's values, as the command's form gives them: toSubmission makes what is sent. */
  form: SubmitForm;
  script?: { fileName: string; text: string };
}

type Decision = { readonly refusal: string } | { readonly request: SubmitRequest; readonly clusterName: string };

export function submitJobTool(context: ToolContext): vscode.LanguageModelTool<unknown> {
  const { services } = context;
  const prepared = new PreparedCalls<Decision>();
  /** The upload paths invokes have sent to: one path is never written twice. */
  const uploaded = new Set<string>();
  services.credentials.onDidChange(() => prepared.clear());

  /** Every check, against the server now; a string is a refusal: nothing may be sent. */
  async function check(input: unknown): Promise<Ready | string> {
    const malformed = refuseMalformed(context, SUBMIT_JOB, input, true);
    if (malformed) {
      return malformed;
    }
    const given = input as Input;
    if ((given.cmd_line === undefined) === (given.script_path === undefined)) {
      return 'Refused: give exactly one of cmd_line (a command to run) and script_path (a script of the workspace to upload and run); nothing was sent.';
    }
    if (given.cmd_line !== undefined && !given.cmd_line.trim()) {
      return 'Refused: cmd_line is empty; nothing was sent.';
    }
    try {
      const script = given.script_path === undefined ? undefined : await readScript(given.script_path);
      if (typeof script === 'string') {
        return script;
      }
      const defaults = script ? parseSbatch(script.text) : undefined;
      const found = await findCluster(services, given.cluster_id, given.account);
      if ('notFound' in found) {
        return `Refused: ${found.notFound} Nothing was sent.`;
      }
      const { cluster } = found;
      if (!acceptsJobs(cluster)) {
        return `Refused: cluster ${clusterLabel(cluster)} is ${cluster.status || 'not active'} and does not accept jobs; nothing was sent.`;
      }
      const [queues, users] = await Promise.all([services.clusterInfo.queues(cluster), services.clusterInfo.users(cluster)]);
      const queue = pickQueue(queues, given.queue ?? defaults?.partition);
      if (typeof queue === 'string') {
        return queue;
      }
      const user = pickUser(users, given.run_user);
      if (typeof user === 'string') {
        return user;
      }
      if (script && !hasUploadHome(user.homeDir)) {
        return `Refused: run_user ${user.username} has no home directory on the cluster given as a full path (${JSON.stringify(user.homeDir ?? '')}), so the script has nowhere to be uploaded; nothing was sent. Name another run_user, or send a cmd_line.`;
      }
      const cores = given.cores ?? (defaults ? coresFrom(defaults) : undefined) ?? 1;
      const cap = queue ? queueCores(queue) : undefined;
      if (parseCores(String(cores)) === undefined || (cap && cores > cap.max)) {
        return `Refused: cores=${cores} is not possible${queue && cap ? ` in queue ${queue.name} (at most ${cap.max}: ${cap.nodes} nodes of ${cap.perNode} cores)` : ''}; nothing was sent.`;
      }
      const memLimitMb = given.mem_limit === undefined ? defaults?.memLimitMb : parseMemory(given.mem_limit);
      if (given.mem_limit !== undefined && memLimitMb === undefined) {
        return `Refused: mem_limit=${JSON.stringify(given.mem_limit)} is not a size such as 512M or 4G; nothing was sent.`;
      }
      const timeLimitMinutes = given.time_limit === undefined ? defaults?.timeLimitMinutes : parseDuration(given.time_limit);
      if (given.time_limit !== undefined && timeLimitMinutes === undefined) {
        return `Refused: time_limit=${JSON.stringify(given.time_limit)} is not a duration such as 30, 1:30:00 or 2-00:00:00; nothing was sent.`;
      }
      const name = given.name?.trim() || defaults?.jobName || (script ? path.basename(script.fileName).replace(/\.[^.]+$/, '') : path.basename(given.cmd_line!.trim().split(/\s+/)[0]));
      if (name.length > MAX_JOB_NAME_CHARS) {
        return `Refused: the job name is longer than ${MAX_JOB_NAME_CHARS} characters; nothing was sent.`;
      }
      return {
        cluster,
        queue,
        runUser: user,
        script,
        form: {
          clusterKey: clusterKey(cluster),
          queueId: queue?.queueId,
          runUser: user.username,
          name,
          cores,
          memLimitMb,
          timeLimitMinutes,
          stdoutPath: defaults?.output,
          stderrPath: defaults?.error,
          run: script ? { kind: 'script', text: script.text } : { kind: 'command', command: given.cmd_line!.trim() },
        },
      };
    } catch (error) {
      return `${failureText(error)} Nothing was sent.`;
    }
  }

  return {
    async prepareInvocation({ input }) {
      const ready = await checkBeforeAsking(prepared, input, check);
      if ('refused' in ready) {
        return ready.refused;
      }
      const { checked, generation } = ready;
      const { cluster, queue, script } = checked;
      // The script's place on the cluster is chosen now, so that the question shows it. An
      // identical call prepared before gets the same place: the invoke cannot tell which
      // question was approved, so each question must show what either invoke sends.
      const earlier = prepared.peek(input);
      const earlierTarget = earlier && 'request' in earlier ? earlier.request.script?.target : undefined;
      const target = script ? (earlierTarget ?? uploadTarget(checked.runUser.homeDir, checked.form.name, new Date(), Math.random)) : undefined;
      const submission = toSubmission(checked.form, target);
      const request: SubmitRequest = { account: cluster.account, zone: cluster.zone, clusterId: cluster.clusterId, submission, script: script && target ? { text: script.text, target } : undefined };
      prepared.set(input, { request, clusterName: cluster.name }, generation);
      const { message, detail } = submitConfirmation({ clusterName: cluster.name, queueName: queue?.name }, submission, script && target ? { fileName: path.basename(script.fileName), target, text: script.text } : undefined);
      return {
        invocationMessage: vscode.l10n.t('Submitting job "{0}" to {1}...', submission.name, cluster.name),
        confirmationMessages: agentConfirmation(services, cluster, message, detail),
      };
    },

    invoke: ({ input }, token) =>
      answer(services, SUBMIT_JOB, input, async () => {
        // Fail closed: without a question for exactly this call, nothing was confirmed.
        const decided = prepared.takeConfirmed(input);
        if (typeof decided === 'string') {
          return decided;
        }
        const checked = await check(input);
        if (typeof checked === 'string') {
          return checked;
        }
        const { request } = decided;
        // What is sent is what the user saw: the same checks now must make the same job (to the
        // same upload path), else a script edited or a queue gone since stops it.
        const same =
          checked.form.clusterKey === clusterKey(request) &&
          checked.script?.text === request.script?.text &&
          JSON.stringify(toSubmission(checked.form, request.script?.target)) === JSON.stringify(request.submission);
        if (!same) {
          return 'Refused: the job is no longer what the user confirmed (the script, the cluster\'s queues or users changed); nothing was sent. Call the tool again so that the user is asked.';
        }
        if (token.isCancellationRequested) {
          return 'Cancelled; nothing was sent.';
        }
        // Two identical calls approved both share one upload path: the second would write over the script the first job runs.
        if (request.script && uploaded.has(request.script.target)) {
          return `Refused: an identical call already uploaded this script to ${request.script.target} and submitted it; nothing was sent. Call the tool again to submit it once more.`;
        }
        if (request.script) {
          uploaded.add(request.script.target);
        }
        const { client, isCurrent } = await services.accounts.connection(request.account).session();
        services.log.info(`Tool ${SUBMIT_JOB}: submitting "${request.submission.name}" to ${request.clusterId} (${request.zone}).`);
        const outcome = await sendSubmission(client, request, isCurrent);
        // Jobs found without the list from before the submit are only possibly this one: not watched as it.
        if (outcome.kind === 'submitted' || (outcome.kind === 'unknown' && outcome.known.listed && outcome.found?.length)) {
          const jobs =
            outcome.kind === 'submitted'
              ? [{ account: request.account, zone: request.zone, clusterId: request.clusterId, hpcjobUuid: outcome.job.hpcjobUuid, jobId: outcome.job.jobId, name: request.submission.name, status: outcome.job.status }]
              : [...(outcome.found ?? [])];
          await showSubmitted(services, checked.cluster, jobs, { reveal: false });
        }
        return outcomeText(outcome, request, clusterLabel(checked.cluster));
      }),
  };
}

function outcomeText(outcome: SubmitOutcome, request: SubmitRequest, cluster: string): string {
  const name = JSON.stringify(request.submission.name);
  switch (outcome.kind) {
    case 'submitted':
      return (
        `Submitted job ${name} to cluster ${cluster}: hpcjob_uuid=${outcome.job.hpcjobUuid}` +
        (outcome.job.jobId !== undefined ? ` job_id=${outcome.job.jobId}` : '') +
        ` status=${outcome.job.status}. The extension watches it and tells the user when it ends; read it with ehpc_getJob.`
      );
    case 'uploadFailed':
      return `Failed: the script could not be uploaded: ${reason(outcome.error)} Nothing was submitted.`;
    case 'refused':
      return `Failed: the cluster did not accept the job: ${reason(outcome.error)} Nothing was submitted.`;
    case 'signedOut':
      return 'Nothing was submitted: the user signed out or changed keys first.';
    case 'unknown':
      if (outcome.found === undefined) {
        return `Unknown: the answer was lost (${reason(outcome.error)}) and the cluster could not be listed to check. Do not submit again; ask the user to look in the EHPC view first.`;
      }
      return foundText(outcome.found, outcome.error, name, cluster, outcome.known.listed);
  }
}

/**
 * After a lost answer the cluster could be listed: the jobs found, or that none was.
 * `listedBefore`: the jobs of that name were listed before the submit; without that list a
 * job found may be an earlier one, and the model is told so, not that it was submitted.
 */
export function foundText(found: readonly Job[], error: unknown, name: string, cluster: string, listedBefore: boolean): string {
  if (found.length === 0) {
    return `Probably not submitted: the answer was lost (${reason(error)}) and cluster ${cluster} lists no new job ${name}. Ask the user before submitting again.`;
  }
  // A short or failing job may have ended before the look-up: the watch skips it.
  const jobs = found.map((job) => `${job.hpcjobUuid} (submitted ${job.submittedTime ?? 'at an unlisted time'}${hasEnded(job) ? `, already ended: ${job.status}` : ''})`);
  if (!listedBefore) {
    return `Unknown: the answer was lost (${reason(error)}) and the jobs of that name could not be listed before the submit, so an earlier job cannot be told from this one. Cluster ${cluster} lists ${found.length === 1 ? 'a job' : `${found.length} jobs`} of that name that may or may not be it: ${jobs.join(', ')}. They are not watched. Ask the user to look at them in the EHPC view and decide whether to submit again.`;
  }
  const ended = found.filter(hasEnded).length;
  const one = found.length === 1;
  const after =
    ended === 0
      ? `the extension watches ${one ? 'it' : 'them'}.`
      : ended === found.length
        ? `${one ? 'it has' : 'they have'} already ended; read ${one ? 'it' : 'them'} with ehpc_getJob.`
        : 'the extension watches those not ended.';
  return `Most likely submitted: the answer was lost (${reason(error)}), but cluster ${cluster} lists ${one ? 'a job' : `${found.length} jobs`} of that name not listed before the submit: ${jobs.join(', ')}. Do not submit it again; ${after}`;
}

/** The queue named (by name or id), or the default; a string refuses. */
function pickQueue(queues: readonly Queue[], wanted: string | undefined): Queue | undefined | string {
  if (wanted === undefined) {
    return queues.find((queue) => queue.isDefault);
  }
  const queue = queues.find((q) => q.name === wanted || q.partitionName === wanted || q.queueId === wanted);
  const known = queues.map((q) => `${JSON.stringify(q.name)} (partition ${q.partitionName ?? '?'}, ${q.queueId})`).join(', ');
  return queue ?? `Refused: the cluster has no queue ${JSON.stringify(wanted)}; its queues: ${known || 'none listed'}. Nothing was sent.`;
}

/** The run user named; without one, the cluster's only user. A string refuses. */
function pickUser(users: readonly ClusterUser[], wanted: string | undefined): ClusterUser | string {
  const names = users.map((user) => user.username).join(', ') || 'none listed';
  if (wanted === undefined) {
    return users.length === 1 ? users[0] : `Refused: name the run_user; the cluster's users: ${names}. Nothing was sent.`;
  }
  return users.find((user) => user.username === wanted) ?? `Refused: the cluster has no user ${JSON.stringify(wanted)}; its users: ${names}. Nothing was sent.`;
}

/** A script inside a workspace folder, read and checked; a string refuses. */
async function readScript(given: string): Promise<{ fileName: string; text: string } | string> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const normal = path.posix.normalize(given.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(normal) || normal.startsWith('../') || normal === '..') {
    return `Refused: script_path must be a path inside the workspace, relative to its folder; ${JSON.stringify(given)} is not. Nothing was sent.`;
  }
  for (const folder of folders) {
    const uri = vscode.Uri.joinPath(folder.uri, normal);
    // An open script as the user sees it, unsaved edits included; else as it is on disk.
    const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
    // A file's size is looked at before it is read: a huge one is never read whole.
    const checked = open ? checkScript(new TextEncoder().encode(open.getText())) : await readScriptFile(uri).catch(() => undefined);
    if (checked) {
      return checked.ok ? { fileName: uri.path, text: checked.text } : `Refused: ${JSON.stringify(given)} cannot be submitted (${checked.reason}: a job script is a non-empty UTF-8 text file of at most 512 KB). Nothing was sent.`;
    }
  }
  return `Refused: no file ${JSON.stringify(given)} in the workspace folders (${folders.map((f) => f.name).join(', ') || 'none open'}). Nothing was sent.`;
}
