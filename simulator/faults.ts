// Fault injection for tests: a list of rules; the first rule matching a request decides how
// it goes wrong. Rules sit in front of everything else (like a failing proxy or an
// overloaded server): a request failed by a rule changes nothing, unless the rule says
// `afterAction` (the server acts, then the answer is lost or garbled: "outcome unknown").
// Matching is by path and cluster id only, in the order rules were added: reproducible.

export interface FaultRule {
  /** The request path, or a prefix of it: `/api/job/jobdetail` matches every job's detail. */
  path?: string;
  /** Matches `cluster_id` from the query (GET) or the JSON body (POST), or one of the body's `cluster_ids`. */
  clusterId?: string;
  /** Default 5000 (internal error), unless `rawBody` is given. */
  retCode?: number;
  message?: string;
  /** Default 200, as the real API answers ret_code errors. */
  httpStatus?: number;
  /** Sent as-is (text/html) instead of JSON, e.g. a proxy's error page. */
  rawBody?: string;
  /** How many matching requests fail; default 1, `Infinity` until cleared. */
  times?: number;
  /** Delays this answer by so much more than the global latency (alone: the real answer, late). */
  latencyMs?: number;
  /** Never answers; the socket stays open until the client gives up or the simulator closes. */
  hang?: boolean;
  /** Destroys the socket without an answer. */
  reset?: boolean;
  /** Sends the headers and the first half of the body, then destroys the socket. */
  truncate?: boolean;
  /** Carries the request out first (jobs really go), then fails only its answer as above. */
  afterAction?: boolean;
  /** deleteJobs/stopJobs act on only the first N `job_ids` (body order), then answer success. */
  partial?: number;
  /**
   * stopJobs, startCluster, stopCluster: the request succeeds (an operation id comes back) but
   * the asynchronous operation ends `failed`: stopJobs stops none of the jobs, as when the
   * scheduler refuses; a start or stop leaves the rule's `clusterId` (every cluster named,
   * without one) as it was, and still switches the others.
   */
  failOperation?: boolean;
}

/** What a rule is matched against. */
export interface FaultTarget {
  path: string;
  clusterId?: string;
  /** A start or stop body's `cluster_ids`. */
  clusterIds?: readonly string[];
}

export interface FaultResponse {
  httpStatus: number;
  contentType: string;
  body: string;
  /** Undefined when the body is not JSON. */
  retCode?: number;
}

/** How the server handles one matched request. */
export interface FaultPlan {
  rule: FaultRule;
  /** Run the operation (authentication, then the action) as if there were no rule. */
  carryOut: boolean;
  /** Replaces the operation's answer; undefined keeps the real one. */
  answer?: FaultResponse;
  /** For carried-out deleteJobs/stopJobs: act on only this many of the named ids. */
  partial?: number;
  /** For a carried-out stopJobs, startCluster or stopCluster: its operation fails (see `FaultRule.failOperation`). */
  failOperation: boolean;
  /** Extra delay before the answer (or before the hang, reset or cut). */
  latencyMs: number;
  /** How the answer leaves: in full, never, not at all (socket destroyed), or cut short. */
  delivery: 'full' | 'hang' | 'reset' | 'truncate';
}

export class Faults {
  private rules: { rule: FaultRule; remaining: number }[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The plan of the first rule matching `target`, using up one of its times. */
  take(target: FaultTarget): FaultPlan | undefined {
    const entry = this.rules.find((e) => matches(e.rule, target));
    if (!entry) {
      return undefined;
    }
    entry.remaining -= 1;
    if (entry.remaining <= 0) {
      this.rules = this.rules.filter((e) => e !== entry);
    }
    return plan(entry.rule);
  }
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.path !== undefined && target.path !== rule.path && !target.path.startsWith(rule.path + '/')) {
    return false;
  }
  return rule.clusterId === undefined || rule.clusterId === target.clusterId || (target.clusterIds ?? []).includes(rule.clusterId);
}

function plan(rule: FaultRule): FaultPlan {
  const delivery = rule.hang ? 'hang' : rule.reset ? 'reset' : rule.truncate ? 'truncate' : 'full';
  const setsAnswer = rule.retCode !== undefined || rule.message !== undefined || rule.httpStatus !== undefined || rule.rawBody !== undefined;
  // A rule with no effect at all keeps its old meaning: an internal error (5000).
  const benign = (rule.latencyMs ?? 0) > 0 || rule.partial !== undefined || rule.failOperation === true;
  const failsAnswer = setsAnswer || delivery !== 'full' || !benign;
  return {
    rule,
    carryOut: !failsAnswer || rule.afterAction === true,
    // Hang, reset and truncate alone fail the real answer (truncate cuts it, when there is one).
    answer: setsAnswer || (!benign && delivery === 'full') ? errorAnswer(rule) : undefined,
    partial: rule.partial,
    failOperation: rule.failOperation === true,
    latencyMs: Math.max(0, rule.latencyMs ?? 0),
    delivery,
  };
}

/** The error answer a rule sends (also what a cut answer is cut from when there is no real one). */
export function errorAnswer(rule: FaultRule): FaultResponse {
  const httpStatus = rule.httpStatus ?? 200;
  if (rule.rawBody !== undefined) {
    return { httpStatus, contentType: 'text/html; charset=utf-8', body: rule.rawBody };
  }
  const retCode = rule.retCode ?? 5000;
  const message = rule.message ?? `injected fault (ret_code ${retCode})`;
  return {
    httpStatus,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ ret_code: retCode, message }),
    retCode,
  };
}
