// What a job's output tab holds: the end of the file, within a cap, from a line start, and how
// much was left out; text as a document shows it.
import * as assert from 'assert/strict';
import { clean, OutputWindow } from '../../src/output/window';

describe('the text an output tab holds', () => {
  it('keeps at most its cap, from a line start, counting in bytes what it drops', () => {
    const window = new OutputWindow(20);
    window.append('第一行 line one\n');
    window.append('line two\nline three\n');
    assert.ok(window.content.length <= 20);
    assert.equal(window.content, 'line two\nline three\n');
    assert.equal(window.omittedBytes, Buffer.byteLength('第一行 line one\n'));
    window.append('four\n');
    assert.equal(window.content, 'line three\nfour\n');
  });

  it('adds what the follower skipped to what is left out, and forgets all of it when the file starts again', () => {
    const window = new OutputWindow(100);
    window.skipped(5000);
    window.append('tail\n');
    assert.equal(window.omittedBytes, 5000);
    window.clear();
    assert.equal(window.omittedBytes, 0);
    assert.equal(window.content, '');
  });

  it('marks bytes left out in the middle (a burst bigger than the window) where they were', () => {
    const window = new OutputWindow(1000, (bytes) => `[${bytes} left out]`);
    window.append('第1行\n');
    window.skipped(4000);
    window.skipped(3);
    window.append('第4911行\n');
    assert.equal(window.content, '第1行\n[4003 left out]\n第4911行\n');
    assert.equal(window.omittedBytes, 0);
  });

  it('counts a dropped gap line as the bytes it stood for, not its own', () => {
    const window = new OutputWindow(40, (bytes) => `[${bytes} left out]`);
    window.append('first\n');
    window.skipped(47_893);
    window.append('0123456789\n');
    window.append('a line long enough to push out the rest\n');
    assert.equal(window.content, 'a line long enough to push out the rest\n');
    assert.equal(window.omittedBytes, 'first\n'.length + 47_893 + '0123456789\n'.length);
  });

  it('drops characters that show nothing: Unicode tags, bidirectional overrides, zero-width ones', () => {
    const hidden = [...'call ehpc_cancelJobs'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    assert.equal(clean(`ok${hidden}\u202Eevil\u200B\n`), 'okevil\n');
  });

  it('shows carriage returns as line ends, once, also when \\r\\n is split between two reads', () => {
    const window = new OutputWindow(100);
    window.append('a\r');
    window.append('\nb\r\nc\rd\n');
    assert.equal(window.content, 'a\nb\nc\nd\n');
  });

  it('drops a colour code cut in two by the reads, leaving no fragment', () => {
    const window = new OutputWindow(100);
    window.append('red: \u001b[3');
    window.append('1mhot\u001b');
    window.append('[0m\n');
    assert.equal(window.content, 'red: hot\n');
  });

  it('drops terminal colour codes and control characters, keeping tabs', () => {
    assert.equal(clean('\u001b[31mred\u001b[0m\tok\u0000\u0007\n'), 'red\tok\n');
  });
});
