// Draws the two Teams app icons (a white pulse line) and writes them as PNG with only node:zlib.
// Run: npx ts-node --transpile-only manifest/make-icons.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Point = readonly [number, number];
type Rgba = readonly [number, number, number, number];

const HAMBURG_RED: Rgba = [0xe1, 0x00, 0x19, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const SUPERSAMPLING = 4;

/** The pulse line in a unit box: baseline, spike up, deep spike down, back to the baseline. */
const PULSE: readonly Point[] = [
  [0, 0.55],
  [0.24, 0.55],
  [0.33, 0.12],
  [0.46, 0.92],
  [0.56, 0.32],
  [0.63, 0.55],
  [1, 0.55],
];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes 8-bit RGBA pixels (row-major) as a PNG; every row uses filter type 0 (none). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('Pixel buffer does not match the size');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  // compression, filter method and interlace stay 0
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4);
    raw[row] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, row + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function distanceToSegment(px: number, py: number, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(x: number, y: number, size: number, radius: number): boolean {
  const cx = Math.max(radius, Math.min(size - radius, x));
  const cy = Math.max(radius, Math.min(size - radius, y));
  return Math.hypot(x - cx, y - cy) <= radius;
}

interface IconSpec {
  size: number;
  /** Background as a rounded square over the whole icon; none means transparent. */
  background?: { colour: Rgba; radius: number };
  /** Where the pulse line's unit box sits, in pixels. */
  box: { x: number; y: number; width: number; height: number };
  strokeWidth: number;
}

/** Rasterises an icon with supersampled anti-aliasing; colours are blended as straight alpha. */
export function drawIcon(spec: IconSpec): Uint8Array {
  const { size, background, box, strokeWidth } = spec;
  const line = PULSE.map(([u, v]): Point => [box.x + u * box.width, box.y + v * box.height]);
  const pixels = new Uint8Array(size * size * 4);
  const samples = SUPERSAMPLING * SUPERSAMPLING;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let backgroundHits = 0;
      let lineHits = 0;
      for (let sy = 0; sy < SUPERSAMPLING; sy++) {
        for (let sx = 0; sx < SUPERSAMPLING; sx++) {
          const px = x + (sx + 0.5) / SUPERSAMPLING;
          const py = y + (sy + 0.5) / SUPERSAMPLING;
          const onLine = line.some(
            (a, i) => i > 0 && distanceToSegment(px, py, line[i - 1]!, a) <= strokeWidth / 2,
          );
          if (onLine) lineHits++;
          else if (background && insideRoundedSquare(px, py, size, background.radius)) backgroundHits++;
        }
      }
      // Coverage-weighted mix of the white line and the background colour.
      const alpha = (lineHits * WHITE[3] + backgroundHits * (background?.colour[3] ?? 0)) / samples;
      const offset = (y * size + x) * 4;
      if (alpha === 0) continue;
      for (let c = 0; c < 3; c++) {
        const sum = lineHits * WHITE[c]! * WHITE[3] + backgroundHits * (background?.colour[c] ?? 0) * 255;
        pixels[offset + c] = Math.round(sum / (alpha * samples));
      }
      pixels[offset + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

export function makeIcons(dir: string): void {
  const color = drawIcon({
    size: 192,
    background: { colour: HAMBURG_RED, radius: 36 },
    box: { x: 36, y: 42, width: 120, height: 108 },
    strokeWidth: 12,
  });
  const outline = drawIcon({
    size: 32,
    box: { x: 2, y: 4, width: 28, height: 24 },
    strokeWidth: 2.5,
  });
  writeFileSync(path.join(dir, 'color.png'), encodePng(192, 192, color));
  writeFileSync(path.join(dir, 'outline.png'), encodePng(32, 32, outline));
}

if (require.main === module) {
  makeIcons(__dirname);
  console.log(`Wrote ${path.join(__dirname, 'color.png')} and ${path.join(__dirname, 'outline.png')}`);
}
