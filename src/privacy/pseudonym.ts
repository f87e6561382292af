// Pseudonyms for answers: HMAC-SHA256(PSEUDONYM_KEY, run id + user id). Without the key nobody can
// link an answer to a person; a new pseudonym per run keeps runs unlinkable to each other.
import { createHmac } from 'node:crypto';

export class Pseudonymizer {
  constructor(private readonly key: string) {}

  /** A 64-character hex pseudonym for this user in this run. */
  forRun(runId: string, userId: string): string {
    // The separator keeps ("ab","c") and ("a","bc") apart.
    return createHmac('sha256', this.key).update(`${runId}\u001f${userId}`).digest('hex');
  }
}
