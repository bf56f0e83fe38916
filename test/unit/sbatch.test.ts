import * as assert from 'assert/strict';
import fc from 'fast-check';
import { formatDuration, formatMemory } from '../../src/submit/limits';
import { coresFrom, parseSbatch, splitWords } from '../../src/submit/sbatch';
import { shellQuote } from '../../src/submit/script';

const script = (...lines: string[]): string => lines.join('\n');

describe('#SBATCH defaults of a script', () => {
  it('reads long options with = and with a space', () => {
    const defaults = parseSbatch(script(
      '#!/bin/bash',
      '#SBATCH --job-name=lammps',
      '#SBATCH --ntasks 8',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --partition compute',
      '#SBATCH --time=1-02:00:00',
      '#SBATCH --mem 4G',
      '#SBATCH --output=out-%j.txt',
      '#SBATCH --error err-%j.txt',
      'srun lmp -in in.lj',
    ));
    assert.deepEqual(defaults, {
      jobName: 'lammps', ntasks: 8, cpusPerTask: 2, partition: 'compute', timeLimitMinutes: 1560, memLimitMb: 4096,
      output: 'out-%j.txt', error: 'err-%j.txt', ignored: [], problems: [],
    });
  });

  it('reads short options with a space, attached, and with =', () => {
    const defaults = parseSbatch(script(
      '#SBATCH -J lammps',
      '#SBATCH -n4',
      '#SBATCH -c=2',
      '#SBATCH -p gpu -t 90',
      '#SBATCH -o out.txt -e err.txt',
    ));
    assert.deepEqual(defaults, {
      jobName: 'lammps', ntasks: 4, cpusPerTask: 2, partition: 'gpu', timeLimitMinutes: 90, output: 'out.txt', error: 'err.txt',
      ignored: [], problems: [],
    });
  });

  it('reads a name attached to -J', () => {
    assert.equal(parseSbatch('#SBATCH -Jmyjob\n').jobName, 'myjob');
  });

  it('ignores a comment after a directive', () => {
    const defaults = parseSbatch(script('#SBATCH -n 4  # four tasks', '#SBATCH --job-name=a #b c'));
    assert.equal(defaults.ntasks, 4);
    assert.equal(defaults.jobName, 'a');
    assert.deepEqual(defaults.ignored, []);
    assert.deepEqual(defaults.problems, []);
  });

  it('keeps a # inside a value, which starts no comment', () => {
    assert.equal(parseSbatch('#SBATCH --output=run#1.out\n').output, 'run#1.out');
  });

  it('unquotes quoted values', () => {
    const defaults = parseSbatch(script(
      '#SBATCH --job-name="my job"',
      "#SBATCH --output='/home/a b/out.txt'",
      '#SBATCH -e "err # not a comment.txt"',
      '#SBATCH -p "a\\"b"',
    ));
    assert.equal(defaults.jobName, 'my job');
    assert.equal(defaults.output, '/home/a b/out.txt');
    assert.equal(defaults.error, 'err # not a comment.txt');
    assert.equal(defaults.partition, 'a"b');
  });

  it('stops at the first command: directives after it are not read, as sbatch does', () => {
    const defaults = parseSbatch(script(
      '#!/bin/bash',
      '',
      '# a comment before',
      '#SBATCH -n 2',
      '   # an indented comment',
      '#SBATCH -J first',
      'module load lammps',
      '#SBATCH -n 64',
      '#SBATCH -J late',
    ));
    assert.equal(defaults.ntasks, 2);
    assert.equal(defaults.jobName, 'first');
  });

  it('reads a directive only at the start of a line and spelled #SBATCH', () => {
    const defaults = parseSbatch(script('  #SBATCH -n 2', '#sbatch -n 3', '#SBATCHX -n 5', '## SBATCH -n 6'));
    assert.equal(defaults.ntasks, undefined);
  });

  it('reads Windows line ends and a byte order mark', () => {
    const defaults = parseSbatch('\uFEFF#!/bin/bash\r\n#SBATCH -J win\r\n#SBATCH -n 3\r\necho hi\r\n');
    assert.equal(defaults.jobName, 'win');
    assert.equal(defaults.ntasks, 3);
  });

  it('lets a later directive override an earlier one', () => {
    assert.equal(parseSbatch(script('#SBATCH -n 2', '#SBATCH --ntasks=6')).ntasks, 6);
  });

  it('lists options it has no field for, once each, and skips their values', () => {
    const defaults = parseSbatch(script(
      '#SBATCH -N 2',
      '#SBATCH --nodes=2',
      '#SBATCH --exclusive',
      '#SBATCH --gres gpu:1',
      '#SBATCH -N 3 -n 4',
      '#SBATCH --mem-per-cpu=2G',
    ));
    assert.deepEqual(defaults.ignored, ['-N', '--nodes', '--exclusive', '--gres', '--mem-per-cpu']);
    assert.equal(defaults.ntasks, 4);
    assert.equal(defaults.memLimitMb, undefined);
    assert.deepEqual(defaults.problems, []);
  });

  it('takes no property of a plain object for an option', () => {
    const defaults = parseSbatch('#SBATCH --constructor=x --toString --__proto__=y -n 2\n');
    assert.deepEqual(defaults, { ntasks: 2, ignored: ['--constructor', '--toString', '--__proto__'], problems: [] });
  });

  it('reports malformed values with the option, the value and the line, and keeps no value for them', () => {
    const defaults = parseSbatch(script(
      '#!/bin/bash',
      '#SBATCH -n zero',
      '#SBATCH --cpus-per-task=0',
      '#SBATCH --time=1:99',
      '#SBATCH --mem=lots',
      '#SBATCH --job-name=',
      '#SBATCH -p',
    ));
    assert.deepEqual(defaults.problems, [
      { option: '-n', value: 'zero', line: 2 },
      { option: '--cpus-per-task', value: '0', line: 3 },
      { option: '--time', value: '1:99', line: 4 },
      { option: '--mem', value: 'lots', line: 5 },
      { option: '--job-name', value: '', line: 6 },
      { option: '-p', value: '', line: 7 },
    ]);
    for (const field of ['ntasks', 'cpusPerTask', 'timeLimitMinutes', 'memLimitMb', 'jobName', 'partition'] as const) {
      assert.equal(defaults[field], undefined, field);
    }
  });

  it('keeps an earlier good value when a later one is malformed', () => {
    const defaults = parseSbatch(script('#SBATCH -n 4', '#SBATCH -n -4'));
    assert.equal(defaults.ntasks, 4);
    assert.deepEqual(defaults.problems, [{ option: '-n', value: '-4', line: 2 }]);
  });

  it('takes UNLIMITED and zero as no time limit, which is no problem, and lets them override an earlier limit', () => {
    for (const unlimited of ['--time=UNLIMITED', '-t infinite', '-t 0', '--time=00:00:00']) {
      const defaults = parseSbatch(script('#SBATCH -t 60', `#SBATCH ${unlimited}`));
      assert.equal(defaults.timeLimitMinutes, undefined, unlimited);
      assert.deepEqual(defaults.problems, [], unlimited);
    }
  });

  it('reads nothing from a script without directives', () => {
    assert.deepEqual(parseSbatch('echo hello\n#SBATCH -n 4\n'), { ignored: [], problems: [] });
    assert.deepEqual(parseSbatch(''), { ignored: [], problems: [] });
  });
});

describe('the words of a directive', () => {
  it('splits on white space, groups quotes, keeps escaped characters and stops at a comment', () => {
    assert.deepEqual(splitWords(' -J  "a b"\t--x=\'c d\' e\\ f # g h'), ['-J', 'a b', '--x=c d', 'e f']);
    assert.deepEqual(splitWords('--job-name=""'), ['--job-name=']);
    assert.deepEqual(splitWords('""'), ['']);
    assert.deepEqual(splitWords('# only a comment'), []);
  });
});

describe('the cores a script asks for', () => {
  it('is ntasks × cpus-per-task, each defaulting to 1, and undefined when neither is set', () => {
    assert.equal(coresFrom({ ntasks: 4, cpusPerTask: 8 }), 32);
    assert.equal(coresFrom({ ntasks: 4 }), 4);
    assert.equal(coresFrom({ cpusPerTask: 8 }), 8);
    assert.equal(coresFrom({}), undefined);
    assert.equal(coresFrom(parseSbatch('#SBATCH -n 2 -c 3\n')), 6);
  });
});

describe('#SBATCH directives, over generated scripts (properties)', function () {
  // Thousands of generated cases: room for a busy machine, far below a hang.
  this.timeout(20_000);
  /** Printable text without line breaks: a value a directive can carry once quoted. */
  const value = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !/[\p{Cc}\u2028\u2029]/u.test(s));
  const count = fc.integer({ min: 1, max: 100_000 });
  const defaults = fc.record(
    {
      jobName: value, ntasks: count, cpusPerTask: count, partition: value,
      timeLimitMinutes: fc.integer({ min: 1, max: 10_000_000 }), memLimitMb: fc.integer({ min: 1, max: 10_000_000 }),
      output: value, error: value,
    },
    { requiredKeys: [] },
  );
  const OPTIONS: Record<string, [string, string]> = {
    jobName: ['J', 'job-name'], ntasks: ['n', 'ntasks'], cpusPerTask: ['c', 'cpus-per-task'], partition: ['p', 'partition'],
    timeLimitMinutes: ['t', 'time'], memLimitMb: ['', 'mem'], output: ['o', 'output'], error: ['e', 'error'],
  };
  const shown = (field: string, raw: string | number): string =>
    field === 'timeLimitMinutes' ? formatDuration(raw as number) : field === 'memLimitMb' ? formatMemory(raw as number) : String(raw);

  it('reads back every value written in any of the forms, quoted, with a comment after', () => {
    fc.assert(
      fc.property(defaults, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }), (expected, styles) => {
        const lines = ['#!/bin/bash'];
        Object.entries(expected).forEach(([field, raw], index) => {
          const [short, long] = OPTIONS[field];
          const text = shown(field, raw);
          const word = shellQuote(text);
          // --mem has no short form; `-J=x` is read as `-J x`, so a value starting with = is not attached.
          const style = short === '' ? styles[index] % 2 : styles[index] === 2 && text.startsWith('=') ? 3 : styles[index];
          lines.push(`#SBATCH ${[`--${long}=${word}`, `--${long} ${word}`, `-${short}${word}`, `-${short} ${word}`][style]}  # a comment`);
        });
        lines.push('srun ./a.out', '#SBATCH --job-name=late');
        assert.deepEqual(parseSbatch(lines.join('\n')), { ...expected, ignored: [], problems: [] });
      }),
      { numRuns: 1500 },
    );
  });

  it('reads any text without throwing, and keeps only valid values', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }).map((s) => `#SBATCH ${s}`), (text) => {
        const result = parseSbatch(text);
        for (const field of ['ntasks', 'cpusPerTask', 'timeLimitMinutes', 'memLimitMb'] as const) {
          const number = result[field];
          assert.ok(number === undefined || (Number.isInteger(number) && number >= 1), `${field}: ${number}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
