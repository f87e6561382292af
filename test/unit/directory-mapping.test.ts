// The district mapping file: the shipped one maps Hamburg's district offices; matching ignores case,
// spaces and dashes, prefixes end at a word boundary; a broken file is refused with one line naming it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DistrictMappingError,
  loadDistrictMapping,
  parseDistrictMapping,
} from '../../src/directory/district-mapping';
import { SIMULATED_COMPANY_NAMES } from '../support/graph-simulator';

describe('district mapping', () => {
  const shipped = loadDistrictMapping('config/district-mapping.json');

  it('when the shipped file is read, then every district office and a Fachbehörde map to their district', () => {
    for (const [district, name] of Object.entries(SIMULATED_COMPANY_NAMES))
      expect(shipped.resolve(name)).toBe(district);
    expect(shipped.resolve('Bezirksamt Hamburg-Nord - Fachamt Management des öffentlichen Raumes')).toBe(
      'hamburg-nord',
    );
    expect(shipped.resolve('Eimsbüttel')).toBe('eimsbuettel');
  });

  it('when values differ in case, spaces or dashes, then they still match; unknown values map to nothing', () => {
    expect(shipped.resolve('  bezirksamt   HAMBURG – mitte ')).toBe('hamburg-mitte');
    expect(shipped.resolve('BA Harburg/Fachamt 3')).toBe('harburg');
    expect(shipped.resolve('Bezirksamt Altonaer Straße')).toBeUndefined(); // a prefix ends at a word boundary
    expect(shipped.resolve('Dataport')).toBeUndefined();
    expect(shipped.resolve('')).toBeUndefined();
    expect(shipped.resolve(null)).toBeUndefined();
  });

  it('when a longer prefix fits, then it wins over a shorter one', () => {
    const m = parseDistrictMapping(
      { prefix: { Bezirksamt: 'other', 'Bezirksamt Wandsbek': 'wandsbek' } },
      't',
    );
    expect(m.resolve('Bezirksamt Wandsbek, Fachamt 1')).toBe('wandsbek');
    expect(m.resolve('Bezirksamt Sonstwo')).toBe('other');
  });

  it.each([
    [{ exact: { Altona: 'ottensen' } }, /exact\.Altona must be one of altona, /],
    [
      { exact: { Altona: 'altona', ' altona ': 'altona' } },
      /exact\."altona" is the same value as exact\."Altona"/,
    ],
    [{ prefixes: {} }, /unrecognized key/],
    [{ exact: { '': 'altona' } }, /exact/],
  ])('when the file is wrong (%j), then the error names the entry', (json, message) => {
    expect(() => parseDistrictMapping(json, 'm.json')).toThrow(DistrictMappingError);
    expect(() => parseDistrictMapping(json, 'm.json')).toThrow(message);
  });

  it('when the file is missing or not JSON, then the start fails with a line naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'puls-mapping-'));
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "exact": ');
    expect(() => loadDistrictMapping(broken)).toThrow(/^District mapping .*broken\.json: is not JSON/);
    expect(() => loadDistrictMapping(path.join(dir, 'missing.json'))).toThrow(
      /missing\.json: cannot be read/,
    );
  });

  it('when the mapping changes, then its version changes; the same mapping written differently keeps it', () => {
    const a = parseDistrictMapping({ exact: { Altona: 'altona' } }, 'a');
    const b = parseDistrictMapping({ exact: { ' ALTONA ': 'altona' } }, 'b');
    const c = parseDistrictMapping({ exact: { Altona: 'harburg' } }, 'c');
    expect(a.version).toBe(b.version);
    expect(a.version).not.toBe(c.version);
  });
});
