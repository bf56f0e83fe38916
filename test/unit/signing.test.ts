import * as assert from 'assert/strict';
import {
  canonicalQuery,
  computeSignature,
  formatTimestamp,
  md5Hex,
  percentEncode,
  signRequest,
  stringToSign,
} from '../../src/ehpc/signing';
import { DELETE_JOBS_VECTOR, LIST_JOBS_VECTOR, VECTOR_CREDENTIALS, VECTOR_TIMESTAMP } from './support/signingVectors';

// The vector the official SDK's signing code produces for this exact request.
const VECTOR = {
  credentials: VECTOR_CREDENTIALS,
  timestamp: new Date(VECTOR_TIMESTAMP),
  body: DELETE_JOBS_VECTOR.body,
  md5: DELETE_JOBS_VECTOR.bodyMd5,
  stringToSign: DELETE_JOBS_VECTOR.stringToSign,
  signature: DELETE_JOBS_VECTOR.signature,
};

describe('signing', () => {
  describe('the documented test vector', () => {
    it('hashes the exact body bytes', () => {
      assert.equal(md5Hex(VECTOR.body), VECTOR.md5);
    });

    it('builds the string to sign with a trailing slash on the path', () => {
      const query = canonicalQuery({
        access_key_id: VECTOR.credentials.accessKeyId,
        signature_method: 'HmacSHA256',
        signature_version: 1,
        timestamp: formatTimestamp(VECTOR.timestamp),
        version: 1,
      });
      assert.equal(stringToSign('POST', '/api/job/deleteJobs', query, VECTOR.body), VECTOR.stringToSign);
    });

    it('computes the signature', () => {
      assert.equal(computeSignature(VECTOR.credentials.secretAccessKey, VECTOR.stringToSign), VECTOR.signature);
    });

    it('puts the signature last in the URL, encoded twice', () => {
      const { query } = signRequest('POST', '/api/job/deleteJobs', {}, VECTOR.body, VECTOR.credentials, VECTOR.timestamp);
      assert.ok(query.endsWith('&signature=Tyc9JyLbR8B1PaRNOiQbwBCHBJs8mUxGltzLI2WiwPc%253D'), query);
      assert.ok(query.startsWith('access_key_id=QYACCESSKEYIDEXAMPLE&signature_method=HmacSHA256&'));
    });
  });

  describe('a GET vector from a separate implementation: space, "/" and Chinese in search_word', () => {
    const V = LIST_JOBS_VECTOR;

    it('builds the canonical query and the string to sign', () => {
      const query = canonicalQuery({
        ...V.params,
        access_key_id: VECTOR_CREDENTIALS.accessKeyId,
        signature_method: 'HmacSHA256',
        signature_version: 1,
        timestamp: formatTimestamp(new Date(VECTOR_TIMESTAMP)),
        version: 1,
      });
      assert.equal(query, V.query);
      assert.equal(stringToSign(V.method, V.path, query, ''), V.stringToSign);
    });

    it('computes the signature', () => {
      assert.equal(computeSignature(VECTOR_CREDENTIALS.secretAccessKey, V.stringToSign), V.signature);
    });

    it('sends exactly the signed query, then the signature encoded twice', () => {
      const { query } = signRequest(V.method, V.path, V.params, '', VECTOR_CREDENTIALS, new Date(VECTOR_TIMESTAMP));
      assert.equal(query, `${V.query}&signature=${V.signatureInUrl}`);
    });
  });

  describe('percent-encoding', () => {
    it('encodes a space as %20, never +', () => {
      assert.equal(percentEncode('a b'), 'a%20b');
    });

    it('keeps "/" literal, as the SDK signs it', () => {
      assert.equal(percentEncode('p/q'), 'p/q');
    });

    it('encodes "+" and "=" and ":"', () => {
      assert.equal(percentEncode('a+b=c:d'), 'a%2Bb%3Dc%3Ad');
    });

    it('keeps the unreserved characters - _ . ~', () => {
      assert.equal(percentEncode('A-z_0.9~'), 'A-z_0.9~');
    });

    it('encodes non-ASCII as upper-case hex of the UTF-8 bytes', () => {
      assert.equal(percentEncode('作业'), '%E4%BD%9C%E4%B8%9A');
      assert.equal(percentEncode('é'), '%C3%A9');
    });

    it('encodes characters outside the BMP as four bytes', () => {
      assert.equal(percentEncode('😀'), '%F0%9F%98%80');
    });
  });

  describe('canonical query', () => {
    it('sorts by name and leaves out empty and undefined values and the signature', () => {
      assert.equal(
        canonicalQuery({ zone: 'jn1a', b: '', a: 1, search_word: undefined, signature: 'x' }),
        'a=1&zone=jn1a',
      );
    });

    it('signs a search word with "/" and a space as the server expects', () => {
      assert.equal(canonicalQuery({ search_word: 'run p/q' }), 'search_word=run%20p/q');
    });
  });

  it('formats the timestamp in UTC without milliseconds', () => {
    assert.equal(formatTimestamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))), '2024-01-02T03:04:05Z');
  });
});
