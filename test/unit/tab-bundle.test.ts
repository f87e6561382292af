// The compiled deployment serves the tab bundle `npm run build` made (dist/build/tab) although it has
// no web/ sources: a bundle without its source folder is served as built, never rebuilt.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TabBundle } from '../../src/tab/bundle';

describe('TabBundle', () => {
  it('when the sources are absent but a built bundle is there, then that bundle is served as it is', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'puls-tab-'));
    const outDir = path.join(dir, 'build', 'tab');
    mkdirSync(path.join(outDir, 'assets'), { recursive: true });
    writeFileSync(path.join(outDir, 'assets', 'main-TEST.js'), 'console.log(1)');
    writeFileSync(
      path.join(outDir, 'stamp.json'),
      JSON.stringify({
        version: 1,
        hash: 'built elsewhere',
        inputs: ['web/main.tsx'],
        script: 'assets/main-TEST.js',
        bytes: 14,
      }),
    );
    const bundle = await new TabBundle({ sourceDir: path.join(dir, 'web'), outDir }).ensure();
    expect(bundle).toMatchObject({ outDir, script: 'assets/main-TEST.js', bytes: 14, built: false });
  });

  it('when neither sources nor a bundle are there, then ensure fails instead of serving nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'puls-tab-'));
    await expect(
      new TabBundle({ sourceDir: path.join(dir, 'web'), outDir: path.join(dir, 'out') }).ensure(),
    ).rejects.toThrow();
  });
});
