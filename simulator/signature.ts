// The EHPC request signature as the service computes it to check a request, written from the
// API's description of signing. It is deliberately not the extension's code: a client that
// departs from the description must fail here, not pass against a copy of its own mistake.
import { createHash, createHmac } from 'crypto';
import type { QueryParam } from './wire';

/** Bytes a signed value keeps as they are: A-Z a-z 0-9 - _ . ~ and "/" (the SDK keeps "/"). */
const KEPT_BYTES = new Set(
  Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/', 'ascii'),
);

/** Every other UTF-8 byte becomes `%XX`, upper-case hex; so a space is `%20`, never `+`. */
export function encodeForSigning(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += KEPT_BYTES.has(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Every parameter but `signature`, empty ones left out, sorted by name, `enc(name)=enc(value)` joined by `&`. */
export function canonicalQuery(params: readonly QueryParam[]): string {
  return params
    .filter((p) => p.name !== 'signature' && p.value !== '')
    .sort((a, b) => compareBytes(a.name, b.name))
    .map((p) => `${encodeForSigning(p.name)}=${encodeForSigning(p.value)}`)
    .join('&');
}

/** The request path with a trailing `/`: `/api/cluster/list` is signed as `/api/cluster/list/`. */
export function canonicalPath(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

/** Lower-case hex MD5 of the exact body bytes (of nothing, for a GET). */
export function bodyMd5(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

export function stringToSign(method: string, path: string, params: readonly QueryParam[], body: Buffer): string {
  return [method, canonicalPath(path), canonicalQuery(params), bodyMd5(body)].join('\n');
}

/** base64(HMAC-SHA256(secret, string to sign)). */
export function signatureOf(secretAccessKey: string, toSign: string): string {
  return createHmac('sha256', Buffer.from(secretAccessKey, 'utf8')).update(Buffer.from(toSign, 'utf8')).digest('base64');
}

/**
 * The signature form-encoded (`+` `/` `=`, the only base64 characters that need it). The URL
 * carries this encoded once more, so one decoding of the query must give exactly this.
 */
export function formEncodedSignature(base64: string): string {
  return base64.replace(/[+/=]/g, (ch) => ({ '+': '%2B', '/': '%2F', '=': '%3D' })[ch] ?? ch);
}

/** Sorts names by their UTF-8 bytes, whatever the locale. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
