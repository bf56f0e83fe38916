// Server-side checks of the common parameters, the signature and the timestamp.
// The signature is recomputed with the extension's own signing code: the simulator verifies
// what the client builds, it does not carry a second copy of the algorithm.
import { canonicalQuery, computeSignature, formatTimestamp, stringToSign } from '../src/ehpc/signing';
import { ApiError, RetCode } from './errors';

export const COMMON_PARAMS = [
  'access_key_id', 'signature_method', 'signature_version', 'version', 'timestamp', 'signature',
] as const;

export interface AuthSettings {
  accessKeyId: string;
  secretAccessKey: string;
  toleranceSeconds: number;
  now: () => Date;
}

export interface SignedRequest {
  method: string;
  /** Decoded path, as the client signed it. */
  path: string;
  /** Query parameters decoded once: `signature` is then still form-encoded (`%2B`, `%3D`). */
  query: Record<string, string>;
  /** The exact body text received ('' for GET). */
  body: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Throws the error the request earns, checking in the server's order: 1100, 1200, 1300. */
export function authenticate(req: SignedRequest, settings: AuthSettings): void {
  const { query } = req;
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
  const expected = computeSignature(
    settings.secretAccessKey,
    stringToSign(req.method, req.path, canonicalQuery(query), req.body),
  );
  // The URL carries the signature encoded twice (the SDK's way), so after one decoding it
  // must still be form-encoded. A client that encodes it only once fails here, not in production.
  if (query.signature !== encodeURIComponent(expected)) {
    throw new ApiError(RetCode.AuthFailed, 'signature mismatch: check the access key secret and the signing');
  }

  const sent = TIMESTAMP.test(query.timestamp) ? Date.parse(query.timestamp) : NaN;
  if (Number.isNaN(sent)) {
    throw new ApiError(RetCode.BadParameter, `timestamp [${query.timestamp}] is not YYYY-MM-DDTHH:MM:SSZ`);
  }
  const now = settings.now();
  const skewSeconds = Math.abs(now.getTime() - sent) / 1000;
  if (skewSeconds > settings.toleranceSeconds) {
    throw new ApiError(
      RetCode.Expired,
      `request expired: timestamp ${query.timestamp} is ${Math.round(skewSeconds)} s away from server time ${formatTimestamp(now)}`,
    );
  }
}
