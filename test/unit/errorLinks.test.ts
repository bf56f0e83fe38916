// A failure's notification carries the server's reason: VS Code would turn `[label](target)`
// in it into a link, so the reason is shown with its brackets parted.
import { shown, useBundle } from './support/fakeVscode';
import * as assert from 'assert/strict';
import { showError } from '../../src/commands/errors';
import { EhpcError } from '../../src/ehpc/errors';

describe('error notifications', () => {
  it('never turn the server\'s reason or a name in the lead into a link', async () => {
    useBundle('en');
    shown.length = 0;
    const error = new EhpcError('server', '{0}', ['Quota exceeded, see [the console](command:workbench.action.terminal.sendSequence)']);
    await showError(error, () => Promise.resolve(), 'The script could not be uploaded to [prod](https://example.com), so nothing was submitted.');
    assert.equal(shown.length, 1);
    assert.equal(shown[0].kind, 'error');
    assert.match(shown[0].message, /the console/);
    assert.doesNotMatch(shown[0].message, /\]\s*\(/u, shown[0].message);
  });
});
