// Fault injection for tests: a list of rules; the first rule matching a request answers it
// instead of the simulator. Rules sit in front of everything else (like a failing proxy or
// an overloaded server), so a faulted request changes nothing.

export interface FaultRule {
  /** The request path, or a prefix of it: `/api/job/jobdetail` matches every job's detail. */
  path?: string;
  /** Matches `cluster_id` from the query (GET) or the JSON body (POST). */
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
}

/** What a rule is matched against. */
export interface FaultTarget {
  path: string;
  clusterId?: string;
}

export interface FaultResponse {
  httpStatus: number;
  contentType: string;
  body: string;
  /** Undefined when the body is not JSON. */
  retCode?: number;
}

export class Faults {
  private rules: { rule: FaultRule; remaining: number }[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The response of the first rule matching `target`, using up one of its times. */
  take(target: FaultTarget): FaultResponse | undefined {
    const entry = this.rules.find((e) => matches(e.rule, target));
    if (!entry) {
      return undefined;
    }
    entry.remaining -= 1;
    if (entry.remaining <= 0) {
      this.rules = this.rules.filter((e) => e !== entry);
    }
    return respond(entry.rule);
  }
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.path !== undefined && target.path !== rule.path && !target.path.startsWith(rule.path + '/')) {
    return false;
  }
  return rule.clusterId === undefined || rule.clusterId === target.clusterId;
}

function respond(rule: FaultRule): FaultResponse {
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
