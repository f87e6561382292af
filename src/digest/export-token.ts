// Signed, expiring links for exports: base64url(payload).base64url(HMAC-SHA256). Anything else,
// tampered or expired, is refused.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';
import type { PrivacyKeys } from '../privacy/keys';

export const EXPORT_TOKEN_TTL_MS = 15 * 60_000;

interface Payload {
  /** run id */
  r: string;
  /** expiry, ms since epoch */
  e: number;
}

export class ExportTokens {
  private readonly key: Buffer;

  constructor(
    keys: PrivacyKeys,
    private readonly clock: Clock,
  ) {
    // A key of its own (HKDF purpose "export-tokens"): a token never helps against pseudonyms.
    this.key = keys.mac('export-tokens', 'puls-export-token-v1');
  }

  issue(runId: string, ttlMs = EXPORT_TOKEN_TTL_MS): string {
    const payload = Buffer.from(
      JSON.stringify({ r: runId, e: this.clock.now().getTime() + ttlMs } satisfies Payload),
    );
    const body = payload.toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The run id of a valid, unexpired token; undefined for anything else. */
  verify(token: string): string | undefined {
    const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return undefined;
    const [, body, signature] = match as unknown as [string, string, string];
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      return undefined;
    }
    if (typeof payload.r !== 'string' || typeof payload.e !== 'number') return undefined;
    return payload.e > this.clock.now().getTime() ? payload.r : undefined;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
