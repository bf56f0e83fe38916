/**
 * Starts VS Code's own server (shipped inside the npm package code-server, installed by
 * scripts/install-test-vscode.sh) for tests and the demo, in one of two versions: the oldest
 * VS Code the extension supports and the newest the npm registry offers.
 *
 * Why not the `code-server` command: it rejects --extensionDevelopmentPath. Why not
 * @vscode/test-electron or @vscode/test-web: both download VS Code/browsers, which this
 * machine cannot do.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';

/** Repository root; this file compiles to out/test/harness/. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** A VS Code version the tests run on (`EHPC_TEST_VSCODE` / `--vscode` name it). */
export interface VSCodeFlavour {
  name: '1.100' | '1.139';
  codeServerVersion: string;
  /** Node the server runs on: a binary installed by the install script, or this process's. */
  nodeBinary: string;
  /**
   * The workbench honours the URL's payload (extensionDevelopmentPath, extensionTestsPath)
   * only with --enable-smoke-test-driver, which also changes the workbench (no notification
   * toasts, for one): UI pages then get the extension installed from a .vsix instead.
   */
  payloadNeedsSmokeTestDriver: boolean;
}

// Installed by scripts/install-test-vscode.sh from the npm package node@24, whose install puts the
// binary and headers in its platform package.
const node24Home = path.join(repoRoot, '.vscode-test', 'node-24', 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);

export const VSCODE_FLAVOURS: Record<VSCodeFlavour['name'], VSCodeFlavour> = {
  // The oldest supported (engines.vscode ^1.100.0); the newest code-server that runs on Node 20.
  '1.100': { name: '1.100', codeServerVersion: '4.100.3', nodeBinary: process.execPath, payloadNeedsSmokeTestDriver: false },
  // The newest on npm; it needs Node 24 (from the npm package node@24).
  '1.139': { name: '1.139', codeServerVersion: '4.139.1', nodeBinary: path.join(node24Home, 'bin', 'node'), payloadNeedsSmokeTestDriver: true },
};
export const DEFAULT_FLAVOUR = VSCODE_FLAVOURS['1.100'];

/** '1.139', '1.139.1' or '4.139.1' (the code-server version) all name the 1.139 flavour. */
export function vscodeFlavour(name: string | undefined): VSCodeFlavour {
  if (!name) {
    return DEFAULT_FLAVOUR;
  }
  const found = Object.values(VSCODE_FLAVOURS).find((f) => name === f.codeServerVersion || name === f.name || name.startsWith(`${f.name}.`));
  if (!found) {
    throw new Error(`unknown VS Code version "${name}" (known: ${Object.keys(VSCODE_FLAVOURS).join(', ')})`);
  }
  return found;
}

export function codeServerDir(flavour = DEFAULT_FLAVOUR): string {
  return path.join(repoRoot, '.vscode-test', `code-server-${flavour.codeServerVersion}`);
}

export function serverMainJs(flavour = DEFAULT_FLAVOUR): string {
  return path.join(codeServerDir(flavour), 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
}

export function isCodeServerInstalled(flavour = DEFAULT_FLAVOUR): boolean {
  return fs.existsSync(serverMainJs(flavour)) && fs.existsSync(path.join(codeServerDir(flavour), '.install-complete')) && fs.existsSync(flavour.nodeBinary);
}

/** A fresh folder `.vscode-test/runs/<name>` that holds everything one run writes. */
export function createRunDir(name: string): string {
  const dir = path.join(repoRoot, '.vscode-test', 'runs', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** HOME, TMPDIR and XDG_* pointing into `dir`, so a process leaves nothing in ~ or /tmp. */
export function isolatedEnv(dir: string): Record<string, string> {
  const env = {
    HOME: path.join(dir, 'home'),
    TMPDIR: path.join(dir, 'tmp'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg', 'config'),
    XDG_CACHE_HOME: path.join(dir, 'xdg', 'cache'),
    XDG_DATA_HOME: path.join(dir, 'xdg', 'data'),
    XDG_STATE_HOME: path.join(dir, 'xdg', 'state'),
  };
  for (const d of Object.values(env)) {
    fs.mkdirSync(d, { recursive: true });
  }
  return env;
}

export interface VSCodeServerOptions {
  /** Run folder (see createRunDir); the server's data dirs and HOME go in `<runDir>/<name>`. */
  runDir: string;
  /** Sub-folder of runDir for this server; default `server`. */
  name?: string;
  /** VS Code version; default 1.100. */
  flavour?: VSCodeFlavour;
  /** .vsix files to install into the server's extensions folder before it starts. */
  installExtensions?: string[];
  /** Fixed port; a free one when omitted. */
  port?: number;
  /** Extra environment for the server, inherited by the extension host. */
  env?: Record<string, string>;
  /**
   * Remote ("machine") settings besides the harness's own: where settings that no workspace
   * may set go, such as ehpc.endpoint.
   */
  machineSettings?: Record<string, unknown>;
  /**
   * Pass --enable-smoke-test-driver. VS Code 1.100.3 honours the extension payload without it,
   * and with it the workbench refuses to show modal dialogs, so the default is off; 1.139
   * needs it for the payload (see VSCodeFlavour.payloadNeedsSmokeTestDriver).
   */
  smokeTestDriver?: boolean;
  /** Milliseconds to wait for the server to answer. */
  startTimeoutMs?: number;
}

export interface VSCodeServer {
  baseUrl: string;
  port: number;
  /** Authority of `vscode-remote://` URIs, from the served page's data-settings. */
  remoteAuthority: string;
  /** File that receives the server's stdout/stderr. */
  logFile: string;
  /** `vscode-remote://<authority><absPath>` for payload entries. */
  remoteUri(absPath: string): string;
  /**
   * Workbench URL that opens `folder`; `payload` entries become the `payload` query parameter,
   * e.g. { extensionDevelopmentPath: '/abs/ext' } (absolute local paths are turned into remote URIs).
   */
  workbenchUrl(folder: string, payload?: Payload): string;
  /** Settles when the server process exits (with its exit code, null if killed by a signal). */
  exited: Promise<number | null>;
  /** Kills the server's whole process group (extension hosts included). Safe to call twice. */
  stop(): Promise<void>;
  /** Adds to the remote ("machine") settings; a workbench opened afterwards reads them. */
  setMachineSettings(settings: Record<string, unknown>): void;
  /** Empties the user's settings, where a test may have left accounts (`ehpc.accounts`), then writes `settings`. */
  clearUserSettings(settings?: Record<string, unknown>): void;
}

/** The workbench URL's payload: a list stands for the key given once per value. */
export type Payload = Record<string, string | readonly string[]>;

export async function startVSCodeServer(opts: VSCodeServerOptions): Promise<VSCodeServer> {
  const flavour = opts.flavour ?? DEFAULT_FLAVOUR;
  const mainJs = serverMainJs(flavour);
  if (!fs.existsSync(mainJs) || !fs.existsSync(flavour.nodeBinary)) {
    throw new Error(`VS Code ${flavour.name} not installed at ${mainJs}; run: bash scripts/install-test-vscode.sh ${flavour.name}`);
  }
  const dir = path.join(opts.runDir, opts.name ?? 'server');
  fs.mkdirSync(dir, { recursive: true });
  const userDataDir = path.join(dir, 'user-data');
  writeMachineSettings(userDataDir, opts.machineSettings);
  // A fixed port already taken (say by another `npm start`) would answer for the wrong server.
  if (opts.port !== undefined && !(await isPortFree(opts.port))) {
    throw new Error(`port ${opts.port} on 127.0.0.1 is already in use`);
  }
  const port = opts.port ?? (await freePort());
  const logFile = path.join(dir, 'server.log');

  const dataDirArgs = [
    '--server-data-dir', path.join(dir, 'server-data'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', path.join(dir, 'extensions'),
  ];
  const args = [
    mainJs,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--disable-workspace-trust',
    ...dataDirArgs,
  ];
  if (opts.smokeTestDriver) {
    args.push('--enable-smoke-test-driver');
  }

  // Drop VSCODE_* from the parent (e.g. when started from a VS Code terminal): they would
  // make the server talk to that other VS Code.
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE'));
  const env = { ...baseEnv, ...isolatedEnv(dir), ...opts.env };
  if (flavour.nodeBinary !== process.execPath) {
    // Whatever the server or an extension starts as `node` is the server's Node too.
    env.PATH = [path.dirname(flavour.nodeBinary), env.PATH].filter(Boolean).join(path.delimiter);
  }
  for (const vsix of opts.installExtensions ?? []) {
    installExtension(flavour, vsix, dataDirArgs, env, logFile);
  }
  const logFd = fs.openSync(logFile, 'a');
  // detached: the server leads its own process group (setsid), so stop() can kill the extension
  // hosts and watchers it forks along with it.
  const child = spawn(flavour.nodeBinary, args, {
    cwd: dir,
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env,
  });
  fs.closeSync(logFd);
  if (child.pid === undefined) {
    throw new Error(`could not start ${flavour.nodeBinary} (see ${logFile})`);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const group = trackProcessGroup(child);

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const html = await waitForPage(baseUrl + '/', child, opts.startTimeoutMs ?? 60_000);
    // 4.100.3 serves "remote" here (its workbench then uses location.host); the server resolves
    // vscode-remote:// payload URIs by path, so either authority works.
    const remoteAuthority = readRemoteAuthority(html) ?? `127.0.0.1:${port}`;
    const remoteUri = (absPath: string) => `vscode-remote://${remoteAuthority}${absPath.split(path.sep).join('/')}`;
    return {
      baseUrl,
      port,
      remoteAuthority,
      logFile,
      exited,
      remoteUri,
      workbenchUrl(folder, payload) {
        const params = new URLSearchParams({ folder });
        if (payload && Object.keys(payload).length) {
          // A list gives the key once per value (several extensionDevelopmentPath entries).
          const entries = Object.entries(payload).flatMap(([k, v]) => (typeof v === 'string' ? [v] : v).map((one) => [k, path.isAbsolute(one) ? remoteUri(one) : one]));
          params.set('payload', JSON.stringify(entries));
        }
        return `${baseUrl}/?${params.toString()}`;
      },
      stop: () => group.stop(),
      setMachineSettings: (settings) => writeMachineSettings(userDataDir, settings),
      clearUserSettings: (settings = {}) => {
        fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
        fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
      },
    };
  } catch (err) {
    await group.stop();
    throw new Error(`${(err as Error).message} (server log: ${logFile})`);
  }
}

/** `server-main.js --install-extension`: the same data folders the server then uses; output to its log. */
function installExtension(flavour: VSCodeFlavour, vsix: string, dataDirArgs: string[], env: Record<string, string | undefined>, logFile: string): void {
  const fd = fs.openSync(logFile, 'a');
  try {
    const r = spawnSync(flavour.nodeBinary, [serverMainJs(flavour), ...dataDirArgs, '--install-extension', vsix, '--force'], {
      cwd: path.dirname(logFile),
      stdio: ['ignore', fd, fd],
      env,
      timeout: 120_000,
      killSignal: 'SIGKILL',
    });
    if (r.status !== 0) {
      throw new Error(`installing ${vsix} failed (${r.error?.message ?? `exit code ${r.status}, signal ${r.signal}`}); see ${logFile}`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Remote ("machine") settings, which apply to every workspace the server opens, with `extra`
 * added to what the file holds. The run folders sit inside this git repository, so without
 * the defaults the git extension keeps offering to open it, and the welcome walkthrough covers
 * the editor area: both get in the way of UI tests.
 */
function writeMachineSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const file = path.join(userDataDir, 'Machine', 'settings.json');
  const settings = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)
    : {
        'git.openRepositoryInParentFolders': 'never',
        'workbench.startupEditor': 'none',
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'workbench.tips.enabled': false,
        'extensions.ignoreRecommendations': true,
      };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...settings, ...extra }, null, 2) + '\n');
}

/** Kills a detached child's process group: SIGTERM, then SIGKILL after a grace period. */
function trackProcessGroup(child: ChildProcess): { stop(): Promise<void> } {
  const pgid = child.pid as number;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pgid, signal);
    } catch {
      /* group already gone */
    }
  };
  // Last resort if the harness dies without calling stop(): no stray servers.
  const onExit = () => kill('SIGKILL');
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        kill('SIGTERM');
        await waitGroupGone(pgid, 5000);
        kill('SIGKILL');
        await waitGroupGone(pgid, 2000);
        process.off('exit', onExit);
      })();
      return stopping;
    },
  };
}

async function waitGroupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid) && Date.now() < deadline) {
    await sleep(50);
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function waitForPage(url: string, child: ChildProcess, timeoutMs: number): Promise<string> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `VS Code server exited early (code ${code}, signal ${signal})`));
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(exited);
    }
    try {
      const { status, body } = await httpGet(url);
      if (status === 200) {
        return body;
      }
      lastError = `HTTP ${status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`VS Code server did not answer ${url} within ${timeoutMs} ms (${lastError})`);
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** The page carries its configuration as HTML-escaped JSON in a data-settings attribute. */
function readRemoteAuthority(html: string): string | undefined {
  const m = /data-settings="([^"]*)"/.exec(html);
  if (!m) {
    return undefined;
  }
  const json = m[1]
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  try {
    const auth = (JSON.parse(json) as { remoteAuthority?: unknown }).remoteAuthority;
    return typeof auth === 'string' && auth ? auth : undefined;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
