// The one polling helper of the tests (#15.5): test/support/wait.ts, and no second copy elsewhere.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../support/wait';

const TEST_ROOT = path.join(__dirname, '..');

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? testSources(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe('waitUntil', () => {
  it('when the condition comes true after a few polls, then it resolves', async () => {
    let polls = 0;
    await waitUntil(() => ++polls >= 3, 'three polls');
    expect(polls).toBe(3);
  });

  it('when the condition is async, then its promise is awaited', async () => {
    let polls = 0;
    await waitUntil(() => Promise.resolve(++polls >= 2), 'two async polls');
    expect(polls).toBe(2);
  });

  it('when the condition never comes true, then it fails naming what it waited for', async () => {
    await expect(waitUntil(() => false, 'Godot', 50)).rejects.toThrow('Timed out waiting for Godot');
  });

  it('when the test sources are read, then no other file has its own polling loop', () => {
    const own = path.join(TEST_ROOT, 'support', 'wait.ts');
    const loops = testSources(TEST_ROOT)
      .filter((file) => file !== own && file !== __filename)
      .filter((file) => /const deadline = Date\.now\(\) \+/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(TEST_ROOT, file));
    expect(loops).toEqual([]);
  });
});
