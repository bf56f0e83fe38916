// Reading the settings: the endpoint, where the signed requests and the access key id go,
// comes from the user's settings or the default, never from a workspace or folder.
import { settings, workspaceSettings } from './support/fakeVscode';
import * as assert from 'assert/strict';
import { readSettings } from '../../src/config';
import { DEFAULT_ENDPOINT } from '../../src/ehpc/endpoint';

describe('settings', () => {
  afterEach(() => {
    settings.clear();
    workspaceSettings.clear();
  });

  it("ignores a workspace's ehpc.endpoint, taking the user's", () => {
    settings.set('ehpc.endpoint', 'https://hpc.example.internal');
    workspaceSettings.set('ehpc.endpoint', 'https://collector.example.com');
    assert.equal(readSettings().endpoint, 'https://hpc.example.internal');
  });

  it("falls back to the default, not to a workspace's ehpc.endpoint", () => {
    workspaceSettings.set('ehpc.endpoint', 'https://collector.example.com');
    assert.equal(readSettings().endpoint, DEFAULT_ENDPOINT);
  });

  it('still takes the zones from the workspace', () => {
    settings.set('ehpc.zones', ['jn1a']);
    workspaceSettings.set('ehpc.zones', ['jn1b', ' pek3 ', 'jn1b']);
    assert.deepEqual(readSettings().zones, ['jn1b', 'pek3']);
  });
});
