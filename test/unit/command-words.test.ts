// Command words live in one table (src/i18n/command-words.ts): the router reads them from there,
// and so does every button that posts a command, so that renaming a command cannot leave a button
// posting a word nobody understands (#15.5).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMAND_WORDS } from '../../src/i18n/command-words';

const ROOT = path.join(__dirname, '../..');

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [{ file: path.join(dir, e.name), text: readFileSync(path.join(ROOT, dir, e.name), 'utf8') }]
        : [],
  );
}

const WORDS = new Set(
  Object.values(COMMAND_WORDS).flatMap((w) => [...w.de, ...w.en].map((x) => x.toLowerCase())),
);

describe('command words', () => {
  const files = [...sources('bot'), ...sources('cards'), ...sources('src')].filter(
    (f) => f.file !== path.join('src', 'i18n', 'command-words.ts'),
  );

  it('when the sources are read, then no button spells out a command word', () => {
    const found = files.flatMap(({ file, text }) =>
      [
        // { command: 'umfragen' } or { command: `ergebnisse ${id}` }
        ...text.matchAll(/\bcommand:\s*(['"`][^'"`]*['"`])/g),
        // locale === 'en' ? 'surveys' : 'umfragen'
        ...[...text.matchAll(/=== 'en' \? ['"`]([^'"`]*)['"`] : ['"`]([^'"`]*)['"`]/g)].filter(
          (m) => WORDS.has(m[1]!.toLowerCase()) || WORDS.has(m[2]!.toLowerCase()),
        ),
        // a second table of words, e.g. const COMMAND_WORDS_DE = { help: 'hilfe', … }
        ...text.matchAll(/\b\w*COMMAND_WORDS\w*\s*=\s*\{/g),
      ].map((m) => `${file}: ${m[0]}`),
    );
    expect(found).toEqual([]);
  });

  it('when the command specs are read, then none lists its own words', () => {
    const found = files.flatMap(({ file, text }) =>
      [...text.matchAll(/\bwords:\s*\{\s*de:/g)].map((m) => `${file}: ${m[0]}`),
    );
    expect(found).toEqual([]);
  });
});
