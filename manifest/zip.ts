// The app package's ZIP, written and read with fflate (the well-kept library for it) instead of a
// hand-written format: a fixed timestamp keeps packages byte-for-byte reproducible.
import { unzipSync, zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** 2024-01-01 00:00 local time: the same bytes for the same files on every build. */
const FIXED_MTIME = new Date(2024, 0, 1);
/** Already compressed formats are stored; everything else is deflated. */
const STORED = /\.(png|jpe?g|gif|zip)$/i;

/** Builds a ZIP archive from flat entries (names may contain "/"; no absolute paths, no "\"). */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const files: Zippable = {};
  for (const entry of entries) {
    if (!entry.name || entry.name.startsWith('/') || entry.name.includes('\\')) {
      throw new Error(`Invalid ZIP entry name "${entry.name}"`);
    }
    if (Object.hasOwn(files, entry.name)) throw new Error(`Duplicate ZIP entry "${entry.name}"`);
    files[entry.name] = [new Uint8Array(entry.data), { level: STORED.test(entry.name) ? 0 : 9 }];
  }
  return Buffer.from(zipSync(files, { mtime: FIXED_MTIME }));
}

/** Reads every entry, in archive order. */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  const files = unzipSync(new Uint8Array(zip));
  return Object.entries(files).map(([name, data]) => ({ name, data: Buffer.from(data) }));
}
