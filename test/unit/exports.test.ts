// Any extension can read another's exports (vscode.extensions.getExtension(id).exports), and the
// extension's internals reach the stored key, the signing client, the chat tools and the prompts.
import * as fake from './support/fakeVscode';
import * as assert from 'assert/strict';
import type { ExtensionApi } from '../../src/extension';

describe('what the extension exports', () => {
  // Loaded after the stand-in, as the extension loads after VS Code.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { exportsFor } = require('../../src/extension') as typeof import('../../src/extension');
  const internals = { credentials: {}, connection: {}, prompts: {} } as unknown as ExtensionApi;

  it('gives other extensions nothing when installed or run for development', () => {
    assert.equal(exportsFor(fake.ExtensionMode.Production as number, internals), undefined);
    assert.equal(exportsFor(fake.ExtensionMode.Development as number, internals), undefined);
  });

  it('hands its internals to its own extension-host tests only', () => {
    assert.equal(exportsFor(fake.ExtensionMode.Test as number, internals), internals);
  });
});
