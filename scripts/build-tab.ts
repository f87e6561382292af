// Builds the officers' tab bundle (build/tab/) now, and prints its size. `npm start` does the same
// by itself when the bundle is missing or stale; this is for CI, packaging and measuring.
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TabBundle } from '../src/tab/bundle';

async function main(): Promise<void> {
  // --out DIR: where the bundle goes (`npm run build` puts it into dist/build/tab, where the compiled
  // src/tab/bundle.js looks for it); default build/tab.
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]!) : undefined;
  const bundle = await new TabBundle({ outDir }).ensure();
  const script = readFileSync(path.join(bundle.outDir, bundle.script));
  console.log(
    `${bundle.built ? `Built in ${bundle.buildMs} ms` : 'Up to date'}: ${path.relative(process.cwd(), bundle.outDir)}/${bundle.script}` +
      ` ${(script.length / 1024).toFixed(0)} KiB (${(gzipSync(script, { level: 9 }).length / 1024).toFixed(0)} KiB gzip)`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
