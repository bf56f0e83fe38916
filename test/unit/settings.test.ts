// Every ehpc.* setting is read within bounds, and what steers requests, keys, the API quota or
// a safety question is read from the user's settings only: a cloned repository's
// .vscode/settings.json must not be able to turn the watch into a tight loop, drop the typed
// question, or raise the chat tools' limit.
import { settings, workspaceSettings } from './support/fakeVscode';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { maxJobsPerCall } from '../../src/tools/common';
import { bounded, NUMBER_SETTINGS, NumberSetting, readIdleMinutes, readNotifyOn, readNumber } from '../../src/settings';

interface Property {
  type?: string;
  scope?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  order?: number;
  markdownDescription?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;
const nls = (language: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', `package.nls${language}.json`), 'utf8')) as Record<string, string>;
/** A setting's description as the Settings editor shows it, in English or Chinese. */
const description = (name: string, language = '') => (properties[name].markdownDescription ?? '').replace(/^%(.+)%$/, (_, key: string) => nls(language)[key]);


describe('the settings', () => {
  afterEach(() => {
    settings.clear();
    workspaceSettings.clear();
  });

  it('lets no folder set any of them: every one is user-only in the manifest', () => {
    for (const [name, property] of Object.entries(properties)) {
      assert.ok(property.scope === 'machine' || property.scope === 'application', `${name} has scope ${property.scope}`);
    }
  });

  it('declares in the manifest the bounds the code applies to every number', () => {
    const numeric = Object.entries(properties).filter(([, property]) => property.type === 'number' || property.type === 'integer');
    assert.deepEqual(numeric.map(([name]) => name).sort(), Object.keys(NUMBER_SETTINGS).map((key) => `ehpc.${key}`).sort());
    for (const [name, property] of numeric) {
      const bounds = NUMBER_SETTINGS[name.slice('ehpc.'.length) as NumberSetting];
      assert.deepEqual([property.type, property.default, property.minimum, property.maximum], [bounds.integer ? 'integer' : 'number', bounds.default, bounds.min, bounds.max], name);
    }
  });

  it('caps the watch interval at the watch’s own 5 minute slow-down', () => {
    assert.equal(NUMBER_SETTINGS.watchIntervalSeconds.max, 300);
  });

  it('clamps, rounds, and falls back to the default for what is not a number', () => {
    const bounds = { default: 30, min: 10, max: 300, integer: true };
    assert.equal(bounded(3_000_000, bounds), 300);
    assert.equal(bounded(1, bounds), 10);
    assert.equal(bounded(-5, bounds), 10);
    assert.equal(bounded(42.6, bounds), 43);
    [undefined, null, '60', Number.NaN, Infinity, -Infinity, [60], {}].forEach((odd, i) => assert.equal(bounded(odd, bounds), 30, `value ${i}`));
  });

  for (const name of Object.keys(NUMBER_SETTINGS) as NumberSetting[]) {
    describe(`ehpc.${name}`, () => {
      const bounds = NUMBER_SETTINGS[name];

      it("ignores a workspace's value, taking the user's or the default", () => {
        const other = bounds.default === bounds.min ? bounds.max : bounds.min;
        workspaceSettings.set(`ehpc.${name}`, other);
        assert.equal(readNumber(name), bounds.default);
        settings.set(`ehpc.${name}`, bounds.min + 1);
        assert.equal(readNumber(name), bounds.min + 1);
      });

      it("clamps the user's value to its bounds", () => {
        settings.set(`ehpc.${name}`, 1e12);
        assert.equal(readNumber(name), bounds.max);
        settings.set(`ehpc.${name}`, -1e12);
        assert.equal(readNumber(name), bounds.min);
      });
    });
  }

  it("keeps the chat tools' job limit within 1 to 100, whatever a workspace says", () => {
    workspaceSettings.set('ehpc.agentMaxJobsPerCall', 100_000);
    assert.equal(maxJobsPerCall(), 50);
    settings.set('ehpc.agentMaxJobsPerCall', 100_000);
    assert.equal(maxJobsPerCall(), 100);
  });

  it("takes which endings are notified from the user's settings only, and reads anything else as all", () => {
    workspaceSettings.set('ehpc.notifyOn', 'none');
    assert.equal(readNotifyOn(), 'all', "a folder's value is ignored");
    settings.set('ehpc.notifyOn', 'failures');
    assert.equal(readNotifyOn(), 'failures');
    settings.set('ehpc.notifyOn', 'loud');
    assert.equal(readNotifyOn(), 'all');
  });

  it('bounds the idle minutes: 0 turns the guard off, a day at most, anything odd (a negative too) is the default', () => {
    const read = (value: unknown) => (settings.set('ehpc.idleClusterMinutes', value), readIdleMinutes());
    assert.deepEqual([read(0), read(30.4), read(1e9)], [0, 30, 24 * 60]);
    for (const odd of [-5, Number.NaN, Infinity, '60', null, undefined]) {
      assert.equal(read(odd), 60, String(odd));
    }
  });

  it('lists the accounts first, then the zones and the endpoint, then the others, each in its own place', () => {
    const ordered = Object.entries(properties).sort(([, a], [, b]) => (a.order ?? Infinity) - (b.order ?? Infinity));
    assert.deepEqual(ordered.slice(0, 3).map(([name]) => name), ['ehpc.accounts', 'ehpc.zones', 'ehpc.endpoint']);
    const orders = Object.values(properties).map((property) => property.order);
    assert.ok(orders.every((order) => typeof order === 'number'), 'every setting has an order');
    assert.equal(new Set(orders).size, orders.length, 'no two settings share an order');
  });

  it('says that the single-account settings are used only while ehpc.accounts is empty, with a link to it', () => {
    for (const name of ['ehpc.endpoint', 'ehpc.zones']) {
      assert.match(description(name), /Used only while `#ehpc\.accounts#` is empty\./, name);
      assert.match(description(name, '.zh-cn'), /仅在 `#ehpc\.accounts#` 为空时使用。/, name);
    }
  });

  it('keeps every description short, the API quota explained in the README and linked', () => {
    for (const name of Object.keys(properties)) {
      for (const language of ['', '.zh-cn']) {
        const text = description(name, language);
        assert.ok(text.length <= (language ? 200 : 320), `${name}${language}: ${text.length} characters`);
      }
    }
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    assert.match(readme, /^### API quota$/m);
    for (const name of ['ehpc.autoRefreshSeconds', 'ehpc.watchIntervalSeconds', 'ehpc.idleClusterMinutes']) {
      assert.match(description(name), /\[API quota\]\(command:extension\.open\?%5B%22qingcloud-ehpc\.qingcloud-ehpc%22%5D\)/, name);
      assert.doesNotMatch(description(name), /2000/, `${name} leaves the numbers to the README`);
    }
  });
});
