// Keys derived from PSEUDONYM_KEY, one per purpose (HKDF-SHA256), and authenticated encryption
// with them (AES-256-GCM). PSEUDONYM_KEY itself never touches data: it only encrypts the random
// per-run and per-idea secrets (which make the pseudonyms) and the idea owner links, and signs
// export links. Whoever holds it can therefore link only what is still open: a destroyed secret
// cannot be recovered with it.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export const KEY_PURPOSES = ['answers', 'supports', 'idea-owners', 'export-tokens'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class PrivacyKeys {
  private readonly keys: Record<KeyPurpose, Buffer>;

  constructor(pseudonymKey: string) {
    const ikm = Buffer.from(pseudonymKey, 'utf8');
    this.keys = Object.fromEntries(
      KEY_PURPOSES.map((purpose) => [
        purpose,
        Buffer.from(hkdfSync('sha256', ikm, 'puls-hkdf-salt-v1', `puls/${purpose}/v1`, 32)),
      ]),
    ) as Record<KeyPurpose, Buffer>;
  }

  /**
   * Encrypts `plaintext` for `purpose`, bound to `context` (e.g. the run id): a sealed value copied
   * to another row or purpose does not open. A fresh IV each time: equal plaintexts look unrelated.
   */
  seal(purpose: KeyPurpose, plaintext: Buffer | string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[purpose], iv);
    cipher.setAAD(Buffer.from(`${purpose}\u001f${context}`, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The plaintext of a sealed value; undefined when it was not sealed for this purpose and context. */
  open(purpose: KeyPurpose, sealed: string, context: string): Buffer | undefined {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keys[purpose], raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`${purpose}\u001f${context}`, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      return undefined;
    }
  }

  /** An HMAC-SHA256 with the purpose's key (export tokens). */
  mac(purpose: KeyPurpose, data: string): Buffer {
    return createHmac('sha256', this.keys[purpose]).update(data).digest();
  }
}

/** A pseudonym: HMAC-SHA256(secret, subject), hex. The secret is random per run or per idea. */
export function pseudonymOf(secret: Buffer, subject: string): string {
  return createHmac('sha256', secret).update(subject).digest('hex');
}
