// Request signing for the EHPC API. It differs from the classic QingCloud IaaS signing:
// the path is signed with a trailing "/", the body's MD5 is part of the string to sign,
// and "/" stays literal in signed values (the official SDK does so).
import { createHash, createHmac } from 'crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type QueryParams = Record<string, string | number | undefined>;

const UNRESERVED = /[A-Za-z0-9\-_.~/]/;

/** Percent-encodes UTF-8 bytes with upper-case hex; space is %20, never "+". */
export function percentEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    if (UNRESERVED.test(ch)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) {
        out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
      }
    }
  }
  return out;
}

/** Sorted `name=value` pairs; empty values are left out, as the SDK never sends them. */
export function canonicalQuery(params: QueryParams): string {
  return Object.keys(params)
    .filter((name) => name !== 'signature' && params[name] !== undefined && params[name] !== '')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(String(params[name]))}`)
    .join('&');
}

/** `2021-08-19T16:44:40Z`: UTC, whole seconds. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function md5Hex(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

export function stringToSign(method: string, path: string, query: string, body: string): string {
  const signedPath = path.endsWith('/') ? path : path + '/';
  return `${method.toUpperCase()}\n${signedPath}\n${query}\n${md5Hex(body)}`;
}

/** The base64 HMAC-SHA256 of the string to sign, before any URL encoding. */
export function computeSignature(secretAccessKey: string, toSign: string): string {
  return createHmac('sha256', secretAccessKey).update(toSign, 'utf8').digest('base64');
}

/** The signature as the server wants it in the URL: form-encoded, then encoded once more. */
export function signatureForUrl(signature: string): string {
  return encodeURIComponent(encodeURIComponent(signature));
}

export interface SignedRequest {
  /** The query string to append after "?", signature last. */
  query: string;
}

/**
 * Adds the common parameters to `params` and signs the request.
 * `params` are the operation's own query parameters (for GET, `zone` among them).
 */
export function signRequest(
  method: string,
  path: string,
  params: QueryParams,
  body: string,
  credentials: Credentials,
  now: Date,
): SignedRequest {
  const all: QueryParams = {
    ...params,
    access_key_id: credentials.accessKeyId,
    signature_method: 'HmacSHA256',
    signature_version: 1,
    timestamp: formatTimestamp(now),
    version: 1,
  };
  const query = canonicalQuery(all);
  const signature = computeSignature(credentials.secretAccessKey, stringToSign(method, path, query, body));
  return { query: `${query}&signature=${signatureForUrl(signature)}` };
}
