// Signing test vectors as literal bytes, computed by neither the extension nor the simulator,
// so that a test against them can catch either one departing from the API's signing rules.

/** The key pair both vectors are signed with. */
export const VECTOR_CREDENTIALS = { accessKeyId: 'QYACCESSKEYIDEXAMPLE', secretAccessKey: 'SECRETACCESSKEY' };
export const VECTOR_TIMESTAMP = '2021-08-19T16:44:40Z';

/** The API's own vector, as the official SDK's signing code produces it for this exact request. */
export const DELETE_JOBS_VECTOR = {
  method: 'POST',
  path: '/api/job/deleteJobs',
  body: '{"cluster_id": "ehpc-8jqdq0mz", "job_ids": ["hpcjob-bp6rj09f"], "zone": "jn1a"}',
  bodyMd5: '5570074785f1dbdcfb2bec53a75ed082',
  /** The request's query without the signature, as sent (and as signed). */
  query: 'access_key_id=QYACCESSKEYIDEXAMPLE&signature_method=HmacSHA256&signature_version=1'
    + '&timestamp=2021-08-19T16%3A44%3A40Z&version=1',
  stringToSign: 'POST\n/api/job/deleteJobs/\n'
    + 'access_key_id=QYACCESSKEYIDEXAMPLE&signature_method=HmacSHA256&signature_version=1'
    + '&timestamp=2021-08-19T16%3A44%3A40Z&version=1\n'
    + '5570074785f1dbdcfb2bec53a75ed082',
  signature: 'Tyc9JyLbR8B1PaRNOiQbwBCHBJs8mUxGltzLI2WiwPc=',
  /** The signature as the URL carries it: form-encoded, then percent-encoded again. */
  signatureInUrl: 'Tyc9JyLbR8B1PaRNOiQbwBCHBJs8mUxGltzLI2WiwPc%253D',
} as const;

/**
 * A GET of a job list whose search word holds a space, a "/" and Chinese characters.
 * Derived by a separate implementation of the signing rules (a few lines of Python:
 * hashlib.md5, hmac.new(secret, string_to_sign, sha256), base64, and a byte-wise encoder
 * keeping A-Z a-z 0-9 - _ . ~ /), checked by `openssl dgst -sha256 -hmac SECRETACCESSKEY`
 * on the same string to sign; that implementation also reproduces DELETE_JOBS_VECTOR.
 */
export const LIST_JOBS_VECTOR = {
  method: 'GET',
  path: '/api/job/list',
  params: { zone: 'jn1a', cluster_id: 'ehpc-8jqdq0mz', limit: 50, offset: 100, search_word: 'sim run/结果 1' },
  /** Signed query: sorted; space %20, "/" kept, 结果 as upper-case hex of its UTF-8 bytes. */
  query: 'access_key_id=QYACCESSKEYIDEXAMPLE&cluster_id=ehpc-8jqdq0mz&limit=50&offset=100'
    + '&search_word=sim%20run/%E7%BB%93%E6%9E%9C%201'
    + '&signature_method=HmacSHA256&signature_version=1&timestamp=2021-08-19T16%3A44%3A40Z&version=1&zone=jn1a',
  stringToSign: 'GET\n/api/job/list/\n'
    + 'access_key_id=QYACCESSKEYIDEXAMPLE&cluster_id=ehpc-8jqdq0mz&limit=50&offset=100'
    + '&search_word=sim%20run/%E7%BB%93%E6%9E%9C%201'
    + '&signature_method=HmacSHA256&signature_version=1&timestamp=2021-08-19T16%3A44%3A40Z&version=1&zone=jn1a\n'
    + 'd41d8cd98f00b204e9800998ecf8427e',
  signature: 'ZBymqa9EwIu8Uz/SGbnNAubVtN8tNGfNjPXLwtMg3xM=',
  /** Both the "/" and the "=" of the base64 end up encoded twice. */
  signatureInUrl: 'ZBymqa9EwIu8Uz%252FSGbnNAubVtN8tNGfNjPXLwtMg3xM%253D',
  /**
   * The signature of the same request by a client that encodes "/" as %2F when signing
   * (`search_word=sim%20run%2F%E7…`): the server must refuse it.
   */
  slashEncodedSignatureInUrl: 's3IcXK%252FBfB6qeXV9vNgUyKwmxm7XDZw%252FfoYGG0sQA7k%253D',
} as const;
