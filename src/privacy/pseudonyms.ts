// Pseudonyms with forward anonymity. Each survey run and each idea gets its own random secret when
// it starts; a person's pseudonym there is HMAC(secret, user id). The secret is stored only sealed
// under a key derived from PSEUDONYM_KEY (src/privacy/keys.ts) and is destroyed when the run closes
// (or the idea reaches a final status): from then on nobody — not even whoever holds PSEUDONYM_KEY
// and every table — can tell whose pseudonym is whose. Secrets are kept in memory for a minute, so
// an answer costs no extra storage read; a destroyed secret is never read again.
import { randomBytes } from 'node:crypto';
import type { SecretKind, SecretRepository } from '../storage/secret-repository';
import { pseudonymOf, type KeyPurpose, type PrivacyKeys } from './keys';

const PURPOSE: Record<SecretKind, KeyPurpose> = { run: 'answers', idea: 'supports' };
/** How long a secret read from storage is trusted before it is read again. */
const CACHE_MS = 60_000;

export class Pseudonyms {
  private readonly cache = new Map<string, { secret: Buffer; until: number }>();

  constructor(
    private readonly keys: PrivacyKeys,
    private readonly secrets: SecretRepository,
  ) {}

  /** Creates the secret of a new run or idea (idempotent: an existing secret is kept). */
  async create(kind: SecretKind, id: string): Promise<void> {
    const sealed = this.keys.seal(PURPOSE[kind], randomBytes(32), `${kind}:${id}`);
    const stored = await this.secrets.createOrGet(kind, id, sealed);
    const secret = this.keys.open(PURPOSE[kind], stored, `${kind}:${id}`);
    if (secret) this.remember(kind, id, secret);
  }

  /** This person's pseudonym in the run or idea; undefined once its secret was destroyed. */
  async of(kind: SecretKind, id: string, userId: string): Promise<string | undefined> {
    const secret = await this.secretOf(kind, id);
    return secret ? pseudonymOf(secret, userId) : undefined;
  }

  /**
   * A function that computes pseudonyms of many people in one run or idea (reminders, erasure);
   * undefined once the secret was destroyed.
   */
  async forMany(kind: SecretKind, id: string): Promise<((userId: string) => string) | undefined> {
    const secret = await this.secretOf(kind, id);
    return secret ? (userId) => pseudonymOf(secret, userId) : undefined;
  }

  /** Destroys the secret for good (idempotent). */
  async destroy(kind: SecretKind, id: string): Promise<void> {
    this.cache.delete(`${kind}:${id}`);
    await this.secrets.destroy(kind, id);
  }

  private async secretOf(kind: SecretKind, id: string): Promise<Buffer | undefined> {
    const key = `${kind}:${id}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.secret;
    this.cache.delete(key);
    const sealed = await this.secrets.get(kind, id);
    if (sealed === undefined) return undefined;
    const secret = this.keys.open(PURPOSE[kind], sealed, key);
    if (!secret)
      throw new Error(`The ${kind} secret of ${id} does not open with PSEUDONYM_KEY (was the key changed?)`);
    this.remember(kind, id, secret);
    return secret;
  }

  private remember(kind: SecretKind, id: string, secret: Buffer): void {
    // Bounded: open runs and ideas are few, but nothing should grow without limit.
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(`${kind}:${id}`, { secret, until: Date.now() + CACHE_MS });
  }
}
