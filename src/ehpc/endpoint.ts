import { EhpcError } from './errors';

export const DEFAULT_ENDPOINT = 'https://hpc.api.qingcloud.com';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Why an endpoint cannot be used: not a URL, plain http away from this machine, not http(s), or with extras. */
export type EndpointProblem = 'invalid' | 'insecure' | 'scheme' | 'extras';

/** Why `raw` cannot be used as an endpoint, or undefined; see parseEndpoint. */
export function endpointProblem(raw: string): EndpointProblem | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'invalid';
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    return 'insecure';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'scheme';
  }
  return url.username || url.password || url.search || url.hash ? 'extras' : undefined;
}

/**
 * Parses the `ehpc.endpoint` setting. Plain http is allowed only on this machine (the
 * simulator): anywhere else it would send the signed requests in the clear.
 */
export function parseEndpoint(raw: string): { origin: string; basePath: string; host: string } {
  switch (endpointProblem(raw)) {
    case 'invalid':
      throw new EhpcError('config', '"{0}" is not a valid URL. Fix the "ehpc.endpoint" setting.', [raw]);
    case 'insecure':
      throw new EhpcError(
        'config',
        'The endpoint {0} uses http://, which would send your requests unencrypted. Use https:// (http:// is accepted only for localhost).',
        [new URL(raw.trim()).host],
      );
    case 'scheme':
      throw new EhpcError('config', 'The endpoint must start with https://. Fix the "ehpc.endpoint" setting.');
    case 'extras':
      throw new EhpcError('config', 'The endpoint must be a plain https:// address, without credentials or query. Fix the "ehpc.endpoint" setting.');
  }
  const url = new URL(raw.trim());
  // A private deployment may serve the API below a path; "/api/..." is appended to it.
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), host: url.host };
}

/**
 * What an endpoint is compared by, so that a key stays with the endpoint it was entered for:
 * origin and path for a usable URL ("HTTPS://Host/" and "https://host" are one), else as written.
 */
export function endpointIdentity(raw: string): string {
  try {
    const { origin, basePath } = parseEndpoint(raw);
    return `${origin}${basePath}`;
  } catch {
    return raw.trim();
  }
}

/** The endpoint as messages name it: its host, or as written when it is no URL. */
export function endpointHost(raw: string): string {
  try {
    return parseEndpoint(raw).host;
  } catch {
    return raw;
  }
}
