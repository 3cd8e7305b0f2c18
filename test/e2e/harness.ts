/**
 * End-to-end harness: the built renderer in Debian's Chromium, talking to the REAL handler map.
 *
 *   const e2e = setupE2E();                   // once per file: builds, serves, launches Chromium
 *   it('...', async () => {
 *     const app = await e2e.open();           // fresh page + fresh StudioService + temp folder
 *     await app.page.getByRole('button', { name: 'Create project' }).click();
 *     await app.screenshot('create-project'); // -> test-results/e2e/create-project.png
 *   });                                       // page, service and folder are disposed after the test
 *
 * `window.studio` is a shim installed before the app's scripts run: `invoke` goes through
 * `page.exposeBinding` to `service.invoke` in this (Node) process; service events are pushed into
 * the page with `page.evaluate`. It mirrors the preload: unknown channels come back as an
 * `invalid-request` result, unknown events throw. Console errors, failed page scripts and CSP
 * violations fail the test unless `allowConsoleErrors` is set.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { eventNames, type EventMap, type EventName } from '@common/contract';
import { createStudioService, type StudioService } from '../../src-main/node/services';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const chromiumPath = process.env['SENTIMENT_STUDIO_CHROMIUM'] ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---- the renderer build -----------------------------------------------------------------------

/** Everything the renderer bundle is made from: a change in any of these triggers a rebuild. */
const rendererSources = ['src-renderer', 'src-main/common', 'electron.vite.config.ts', 'test/e2e/renderer.vite.config.ts'];

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => listFiles(join(path, name)));
}

function rendererSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of rendererSources.flatMap((source) => listFiles(join(repoRoot, source)))) {
    hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds the renderer with Vite in a child process (a production build: vitest's NODE_ENV=test
 * would make Svelte compile in dev mode) into a cache folder keyed by the sources' hash, so the
 * e2e files of one run, and unchanged reruns, share one build.
 */
export async function buildRenderer(): Promise<string> {
  const cacheRoot = join(repoRoot, 'node_modules', '.cache', 'sentiment-studio-e2e');
  const outDir = join(cacheRoot, `renderer-${rendererSourceHash()}`);
  if (existsSync(join(outDir, 'index.html'))) return outDir;

  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, 'staging-'));
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', '--config', join(repoRoot, 'test/e2e/renderer.vite.config.ts'), '--outDir', staging, '--emptyOutDir'];
  const output = await new Promise<string>((resolveBuild, rejectBuild) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', rejectBuild);
    child.on('close', (code) => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolveBuild(text);
      else rejectBuild(new Error(`The renderer build failed (vite exit ${code}):\n${text}`));
    });
  });
  if (!existsSync(join(staging, 'index.html'))) throw new Error(`The renderer build wrote no index.html:\n${output}`);
  try {
    renameSync(staging, outDir);
  } catch {
    // Another test file finished the same build first: use theirs.
    rmSync(staging, { recursive: true, force: true });
  }
  return outDir;
}

// ---- a static server for the build -------------------------------------------------------------

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Module scripts do not load from file:// in Chromium, so the build is served on 127.0.0.1. */
export async function serveDirectory(directory: string): Promise<StaticServer> {
  const base = resolve(directory);
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(base, pathname === '/' ? 'index.html' : pathname));
    if ((file !== base && !file.startsWith(base + sep)) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The e2e server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

// ---- Chromium --------------------------------------------------------------------------------

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The end-to-end tests need Chromium at ${chromiumPath} and it is not there. ` +
        'Install it with "apt-get install -y chromium" (or set SENTIMENT_STUDIO_CHROMIUM to a Chromium binary).',
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

// ---- the bridge shim -------------------------------------------------------------------------

interface ShimWindow {
  studio: unknown;
  __studioInvoke(channel: string, payload: unknown): Promise<unknown>;
  __studioEmit(event: string, payload: unknown): void;
}

/**
 * Runs in the page before its scripts; must be self-contained (it is serialised). A page cannot
 * learn where a dropped File lives on disk, so `pathForFile` answers with its name inside
 * `dropFolder` (the app's temp folder): a test writes the file there and drops a File of that name.
 */
function installStudioShim({ knownEvents, dropFolder }: { knownEvents: string[]; dropFolder: string }): void {
  const page = window as unknown as ShimWindow;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  page.__studioEmit = (event, payload) => {
    for (const callback of listeners.get(event) ?? []) {
      try {
        callback(payload);
      } catch (error) {
        console.error(`A '${event}' listener failed:`, error);
      }
    }
  };
  page.studio = Object.freeze({
    invoke: (channel: string, payload: unknown) => page.__studioInvoke(channel, payload),
    on(event: string, callback: (payload: unknown) => void) {
      if (!knownEvents.includes(event)) throw new TypeError(`'${event}' is not a Sentiment Studio event.`);
      if (typeof callback !== 'function') throw new TypeError('studio.on needs a callback function.');
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(callback);
      return () => {
        set.delete(callback);
      };
    },
    pathForFile(file: File) {
      if (!(file instanceof File)) throw new TypeError('studio.pathForFile needs a File.');
      return `${dropFolder}/${file.name}`;
    },
  });
}

// ---- one app under test -------------------------------------------------------------------

export interface StudioApp {
  page: Page;
  context: BrowserContext;
  /** The real handler map behind `window.studio`: call it directly to arrange or check state. */
  service: StudioService;
  /** A temp folder for project files and imports; deleted after the test. Dropped files resolve here. */
  dir: string;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  /** Every event the service emitted, in order (also delivered to the page). */
  events: { name: EventName; payload: unknown }[];
  /** Saves a full-page PNG to test-results/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** With `dialogs: true`: what the next open/save dialogs answer, in order. */
  dialogAnswers: (string | null)[];
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  annotator?: string;
  /** Do not fail the test on console errors (for tests that provoke them on purpose). */
  allowConsoleErrors?: boolean;
  /**
   * Stand-ins for the native file dialogs: `dialogAnswers.push(path)` before clicking "Browse…";
   * each dialog takes the next answer (null = the analyst cancelled). Without answers, dialogs
   * are unsupported, as in any non-Electron host.
   */
  dialogs?: boolean;
}

export interface E2E {
  /** Base URL of the served renderer build. */
  readonly url: string;
  readonly browser: Browser;
  /** A fresh page, service and temp folder, disposed when the current test finishes. */
  open(options?: OpenOptions): Promise<StudioApp>;
}

/** Registers beforeAll/afterAll for a test file and returns the handle its tests open apps with. */
export function setupE2E(): E2E {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // Launch first: a missing Chromium should fail fast, with its own message.
    browser = await launchChromium();
    server = await serveDirectory(await buildRenderer());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const running = (): { server: StaticServer; browser: Browser } => {
    if (!server || !browser) throw new Error('setupE2E: Chromium or the server is not running (did beforeAll fail?)');
    return { server, browser };
  };

  return {
    get url() {
      return running().server.url;
    },
    get browser() {
      return running().browser;
    },
    async open(options = {}) {
      const { browser, server } = running();
      const app = await openStudio(browser, server.url, options);
      onTestFinished(async () => {
        await app.context.close();
        await app.service.dispose();
        rmSync(app.dir, { recursive: true, force: true });
        if (!options.allowConsoleErrors && app.problems.length > 0) {
          throw new Error(`The page reported problems:\n${app.problems.join('\n')}`);
        }
      });
      return app;
    },
  };
}

async function openStudio(browser: Browser, url: string, options: OpenOptions): Promise<StudioApp> {
  const dir = mkdtempSync(join(tmpdir(), 'sstudio-e2e-'));
  const dialogAnswers: (string | null)[] = [];
  const answer = async (): Promise<string | null> => {
    if (dialogAnswers.length === 0) throw new Error('e2e: a file dialog opened but the test gave no answer (push one to dialogAnswers)');
    return dialogAnswers.shift()!;
  };
  const service = createStudioService({
    appVersion: '0.0.0-e2e',
    annotator: options.annotator ?? 'e2e',
    dialogs: options.dialogs ? { open: answer, save: answer } : undefined,
    // Recent projects, settings and the demo project live in the test's temp folder.
    userDataDir: join(dir, 'user-data'),
    // Reports print to PDF with this Chromium, as the app prints with Electron's.
    printPdf: async (html) => {
      const page = await browser.newPage({ javaScriptEnabled: false });
      try {
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      } finally {
        await page.close();
      }
    },
  });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1200, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const events: StudioApp['events'] = [];

  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));

  await page.exposeBinding('__studioInvoke', (_source, channel: string, payload: unknown) => service.invoke(channel, payload));
  await page.addInitScript(installStudioShim, { knownEvents: [...eventNames], dropFolder: dir });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'an inline resource'}`),
    );
  });

  for (const name of eventNames) {
    service.on(name, (payload: EventMap[typeof name]) => {
      events.push({ name, payload });
      page
        .evaluate(([event, data]) => (window as unknown as ShimWindow).__studioEmit(event, data), [name, payload] as const)
        .catch(() => {
          // The page closed while the event was on its way: nothing to deliver to.
        });
    });
  }

  await page.goto(url);
  return {
    page,
    context,
    service,
    dir,
    problems,
    events,
    dialogAnswers,
    async screenshot(name) {
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
}
