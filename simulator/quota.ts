// The service's API quota: so many calls an hour per account (2000 for QingCloud), every call
// counting, lists, polls and writes alike. Past it a call is answered 2500 and does nothing.
// A sliding hour by the simulator's clock; a call refused for the quota does not count.
import { ApiError, RetCode } from './errors';

const HOUR_MS = 3_600_000;

export class CallQuota {
  /** When each counted call came, oldest first. */
  private readonly calls: number[] = [];

  /** `perHour` undefined: no limit. */
  constructor(private readonly perHour: number | undefined) {
    if (perHour !== undefined && !(Number.isInteger(perHour) && perHour >= 0)) {
      throw new RangeError(`hourlyCallQuota must be a non-negative integer, got ${perHour}`);
    }
  }

  /** Counts one call at `nowMs`, or throws 2500 when the last hour's calls used the quota up. */
  take(nowMs: number): void {
    if (this.perHour === undefined) {
      return;
    }
    while (this.calls.length > 0 && this.calls[0] <= nowMs - HOUR_MS) {
      this.calls.shift();
    }
    if (this.calls.length >= this.perHour) {
      throw new ApiError(RetCode.QuotaExceeded, `quota exceeded: ${this.perHour} calls an hour`);
    }
    this.calls.push(nowMs);
  }
}
