// The officers' tab as the browser loads it: web/ (React + Fluent UI) bundled by esbuild into
// build/tab/. Built when the bot starts and the bundle is missing or stale (a hash of every source
// file the last build read, the web/ folder listing and package-lock.json), so `npm start` serves
// it without a separate command; with nothing changed the check reads a few dozen files (~ms).
// A build goes to a temporary folder and replaces build/tab/ by rename, so a reader never sees half
// a bundle and two processes building at once both end with a complete one.
// The compiled deployment (dist/, what `node dist/bot/main.js` runs) has no web/ sources: `npm run
// build` bundles the tab into dist/build/tab/ (scripts/build-tab.ts --out), and a bundle without its
// source folder is served as it was built.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const BUILDER_VERSION = 1;

export interface TabBundleOptions {
  /** The web/ folder (its main.tsx is the entry). */
  sourceDir?: string;
  /** Where the bundle goes; default build/tab. */
  outDir?: string;
}

export interface BuiltBundle {
  outDir: string;
  /** Path of the entry script relative to outDir, e.g. assets/main-ABCD1234.js. */
  script: string;
  /** Bytes of every emitted file, and gzip is left to the reader of the figure. */
  bytes: number;
  /** True when this call built it; false when the existing bundle was fresh. */
  built: boolean;
  buildMs: number;
}

interface Stamp {
  version: number;
  hash: string;
  inputs: string[];
  script: string;
  bytes: number;
}

export class TabBundle {
  readonly sourceDir: string;
  readonly outDir: string;
  private pending: Promise<BuiltBundle> | undefined;

  constructor(options: TabBundleOptions = {}) {
    this.sourceDir = options.sourceDir ?? path.join(REPO_ROOT, 'web');
    this.outDir = options.outDir ?? path.join(REPO_ROOT, 'build', 'tab');
  }

  /** Builds the bundle unless it is fresh; one build per process at a time, a failed one retried next call. */
  ensure(): Promise<BuiltBundle> {
    this.pending ??= this.ensureOnce().catch((err: unknown) => {
      this.pending = undefined;
      throw err;
    });
    return this.pending;
  }

  private async ensureOnce(): Promise<BuiltBundle> {
    const started = Date.now();
    const stamp = await this.readStamp();
    // Prebuilt (the compiled deployment): nothing to compare it with, nothing to build it from.
    if (stamp && !existsSync(this.sourceDir)) {
      return { outDir: this.outDir, script: stamp.script, bytes: stamp.bytes, built: false, buildMs: 0 };
    }
    if (stamp && (await this.hashOf(stamp.inputs)) === stamp.hash) {
      return { outDir: this.outDir, script: stamp.script, bytes: stamp.bytes, built: false, buildMs: 0 };
    }
    const built = await this.build();
    return { ...built, built: true, buildMs: Date.now() - started };
  }

  private async readStamp(): Promise<Stamp | undefined> {
    try {
      const stamp = JSON.parse(await readFile(path.join(this.outDir, 'stamp.json'), 'utf8')) as Stamp;
      if (stamp.version !== BUILDER_VERSION || !existsSync(path.join(this.outDir, stamp.script)))
        return undefined;
      return stamp;
    } catch {
      return undefined;
    }
  }

  /** Hash of the given inputs (repo-relative), the web/ listing and the lock file. */
  private async hashOf(inputs: readonly string[]): Promise<string> {
    const hash = createHash('sha256');
    hash.update(`v${BUILDER_VERSION}\n`);
    const listing = await listFiles(this.sourceDir);
    const files = [...new Set([...inputs, ...listing.map((f) => path.relative(REPO_ROOT, f))])].sort();
    files.push('package-lock.json');
    for (const file of files) {
      hash.update(`${file}\n`);
      try {
        hash.update(await readFile(path.join(REPO_ROOT, file)));
      } catch {
        hash.update('<missing>');
      }
    }
    return hash.digest('hex');
  }

  private async build(): Promise<Omit<BuiltBundle, 'built' | 'buildMs'>> {
    // Loaded only when a build is needed: a fresh bundle costs no esbuild start-up.
    const esbuild = await import('esbuild');
    const tmp = `${this.outDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await mkdir(path.join(tmp, 'assets'), { recursive: true });
    try {
      const result = await esbuild.build({
        absWorkingDir: REPO_ROOT,
        entryPoints: [path.join(this.sourceDir, 'main.tsx')],
        outdir: path.join(tmp, 'assets'),
        entryNames: '[name]-[hash]',
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        target: ['chrome110', 'edge110', 'firefox115', 'safari16'],
        jsx: 'automatic',
        tsconfig: path.join(this.sourceDir, 'tsconfig.json'),
        define: { 'process.env.NODE_ENV': '"production"' },
        legalComments: 'linked',
        metafile: true,
        logLevel: 'silent',
      });
      const outputs = Object.entries(result.metafile.outputs);
      const entry = outputs.find(([, o]) => o.entryPoint !== undefined && o.entryPoint.endsWith('main.tsx'));
      if (!entry) throw new Error('esbuild produced no entry script');
      const script = path.relative(tmp, path.join(REPO_ROOT, entry[0])).split(path.sep).join('/');
      const html = (await readFile(path.join(this.sourceDir, 'index.html'), 'utf8')).replace(
        '%SCRIPT%',
        `./${script}`,
      );
      await writeFile(path.join(tmp, 'index.html'), html);
      const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0) + Buffer.byteLength(html);
      const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules'));
      const stamp: Stamp = {
        version: BUILDER_VERSION,
        hash: await this.hashOf(inputs),
        inputs,
        script,
        bytes,
      };
      await writeFile(path.join(tmp, 'stamp.json'), JSON.stringify(stamp, null, 2));
      await this.replaceOutDir(tmp);
      return { outDir: this.outDir, script, bytes };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  private async replaceOutDir(tmp: string): Promise<void> {
    const old = `${this.outDir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
    await mkdir(path.dirname(this.outDir), { recursive: true });
    await rename(this.outDir, old).catch(() => undefined);
    try {
      await rename(tmp, this.outDir);
    } catch (err) {
      // Another process put its (equally fresh) bundle there first.
      if (!existsSync(path.join(this.outDir, 'stamp.json'))) throw err;
    }
    await rm(old, { recursive: true, force: true });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out;
}
