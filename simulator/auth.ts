// Server-side checks of the common parameters, the signature and the timestamp, on the
// request as it arrived: the raw request target (decoded here) and the exact body bytes.
import { timingSafeEqual } from 'crypto';
import { formatUtcTime } from './data';
import { ApiError, RetCode } from './errors';
import { formEncodedSignature, signatureOf, stringToSign } from './signature';
import { paramsByName, parseTarget } from './wire';

export const COMMON_PARAMS = [
  'access_key_id', 'signature_method', 'signature_version', 'version', 'timestamp', 'signature',
] as const;

export interface AuthSettings {
  accessKeyId: string;
  secretAccessKey: string;
  toleranceSeconds: number;
  now: () => Date;
}

export interface ReceivedRequest {
  method: string;
  /** The request target exactly as received: `/api/job/list?zone=jn1a&...`. */
  target: string;
  /** The body bytes exactly as received (none for a GET). */
  body: Buffer;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Throws the error the request earns, checking in the server's order: 1100, 1200, 1300. */
export function authenticate(req: ReceivedRequest, settings: AuthSettings): void {
  const { path, params } = parseTarget(req.target);
  const query = paramsByName(params);
  const missing = COMMON_PARAMS.filter((name) => !query[name]);
  if (missing.length > 0) {
    throw new ApiError(RetCode.BadParameter, `missing required parameter: ${missing.join(', ')}`);
  }
  if (query.signature_method !== 'HmacSHA256' || query.signature_version !== '1') {
    throw new ApiError(
      RetCode.BadParameter,
      `unsupported signature_method [${query.signature_method}] / signature_version [${query.signature_version}]`,
    );
  }

  if (query.access_key_id !== settings.accessKeyId) {
    throw new ApiError(RetCode.AuthFailed, `access key id [${query.access_key_id}] does not exist`);
  }
  const expected = signatureOf(settings.secretAccessKey, stringToSign(req.method, path, params, req.body));
  // Decoded once, the signature must still be form-encoded (the URL carries it encoded twice).
  if (!sameText(query.signature, formEncodedSignature(expected))) {
    throw new ApiError(RetCode.AuthFailed, 'signature mismatch: check the access key secret and the signing');
  }

  const sent = parseTimestamp(query.timestamp);
  const now = settings.now();
  const skewSeconds = Math.abs(now.getTime() - sent) / 1000;
  if (skewSeconds > settings.toleranceSeconds) {
    throw new ApiError(
      RetCode.Expired,
      `request expired: timestamp ${query.timestamp} is ${Math.round(skewSeconds)} s away from server time ${formatUtcTime(now.getTime())}`,
    );
  }
}

/** Milliseconds of a `YYYY-MM-DDTHH:MM:SSZ` that names a real instant (no 30 February). */
function parseTimestamp(text: string): number {
  const ms = TIMESTAMP.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms) || formatUtcTime(ms) !== text) {
    throw new ApiError(RetCode.BadParameter, `timestamp [${text}] is not YYYY-MM-DDTHH:MM:SSZ`);
  }
  return ms;
}

/** Compares in constant time, so the answer's timing does not reveal how much matched. */
function sameText(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
