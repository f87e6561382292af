// pino logger. Secrets are redacted by key and, as a second line of defence, masked wherever they
// appear in a written line (a password inside an error message, a key inside a logged object).
import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Values to mask wherever they appear in a log line (passwords, keys, connection strings). */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

const SECRET_KEYS = [
  'password',
  'appPassword',
  'MicrosoftAppPassword',
  'pseudonymKey',
  'connectionString',
  'authorization',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(options: LoggerOptions): Logger {
  const target = options.destination ?? pino.destination({ dest: 1, sync: true });
  const secrets = [...new Set(options.secrets ?? [])]
    .filter((s) => s.length >= 4)
    // Longest first, so that a connection string is masked before the key inside it.
    .sort((a, b) => b.length - a.length)
    .flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  const destination: DestinationStream =
    secrets.length === 0
      ? target
      : new Writable({
          write(chunk: Buffer | string, _encoding, done) {
            const line = secrets.reduce((text, s) => text.split(s).join('[redacted]'), chunk.toString());
            target.write(line);
            done();
          },
        });
  return pino(
    {
      level: options.level,
      base: { app: 'puls' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
