// What a first-time user meets before signing in: the welcome view links to the console page
// where API keys are made, a three-step walkthrough (sign in, browse, submit) whose pictures
// are files of the package, and an Explorer entry that says where a file is submitted to.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
const nls = { en: read('package.nls.json') as Record<string, string>, zh: read('package.nls.zh-cn.json') as Record<string, string> };
interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
const manifest = read('package.json') as {
  name: string;
  publisher: string;
  contributes: {
    walkthroughs?: { id: string; title: string; steps: Step[] }[];
    viewsWelcome: { view: string; contents: string }[];
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
};
const text = (value: string, language: 'en' | 'zh') => value.replace(/^%(.+)%$/, (_, key: string) => nls[language][key]);
const API_KEYS_PAGE = 'https://console.qingcloud.com/access_keys/';

describe('onboarding', () => {
  it('links the welcome view to the console page where API keys are made, and to the walkthrough', () => {
    const welcome = manifest.contributes.viewsWelcome.find((entry) => entry.view === 'ehpc.clusters');
    assert.ok(welcome);
    for (const language of ['en', 'zh'] as const) {
      const contents = text(welcome.contents, language);
      assert.ok(contents.includes(`](${API_KEYS_PAGE})`), `${language}: ${contents}`);
      assert.ok(contents.includes('command:workbench.action.openWalkthrough?'), `${language}: no link to the walkthrough`);
    }
  });

  it('offers a walkthrough of three steps: sign in, browse the jobs, submit a script', () => {
    const walkthroughs = manifest.contributes.walkthroughs ?? [];
    assert.equal(walkthroughs.length, 1);
    const [walkthrough] = walkthroughs;
    const welcome = manifest.contributes.viewsWelcome[0].contents;
    const link = encodeURIComponent(JSON.stringify([`${manifest.publisher}.${manifest.name}#${walkthrough.id}`, false]));
    assert.ok(text(welcome, 'en').includes(link), 'the welcome view opens this walkthrough');
    assert.deepEqual(walkthrough.steps.map((step) => step.id), ['ehpc.walkthrough.signIn', 'ehpc.walkthrough.browse', 'ehpc.walkthrough.submit']);
    assert.deepEqual(walkthrough.steps.map((step) => text(step.title, 'en')), ['Sign in with an API key', 'Browse your clusters and jobs', 'Submit a script']);
    assert.ok(text(walkthrough.steps[0].description, 'en').includes(API_KEYS_PAGE));
    for (const step of walkthrough.steps) {
      // The media are files of the package: nothing is downloaded.
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && /^media\/walkthrough\/.+\.(md|svg)$/.test(media), `${step.id}: ${media}`);
      assert.ok(fs.existsSync(path.join(root, media)), `${media} is missing`);
      assert.doesNotMatch(fs.readFileSync(path.join(root, media), 'utf8'), /!\[[^\]]*\]\(https?:/, `${media} loads an image from the network`);
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} is never ticked off`);
      for (const language of ['en', 'zh'] as const) {
        assert.match(text(step.description, language), /\]\(command:[\w.]+\)/, `${step.id} (${language}) has a button`);
      }
    }
  });

  it('names EHPC in the Explorer\'s Submit entry, which the palette does not list twice', () => {
    const explorer = manifest.contributes.menus['explorer/context'].map((entry) => entry.command);
    const titles = explorer.map((id) => manifest.contributes.commands.find((command) => command.command === id)?.title ?? '');
    assert.deepEqual(titles.map((title) => text(title, 'en')), ['Submit Job to EHPC...']);
    assert.deepEqual(titles.map((title) => text(title, 'zh')), ['提交作业到 EHPC...']);
    const hidden = manifest.contributes.menus.commandPalette.find((entry) => entry.command === explorer[0]);
    assert.equal(hidden?.when, 'false');
    const extension = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');
    assert.ok(extension.includes(`registerCommand('${explorer[0]}'`), 'the command is registered');
  });
});
