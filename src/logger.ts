// pino logger. Secrets are redacted by key and, as a second line of defence, masked wherever they
// appear in a logged string.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Values to mask wherever they appear in a log line (passwords, keys, connection strings). */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

const REDACT_PATHS = [
  'password',
  '*.password',
  'appPassword',
  '*.appPassword',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  'pseudonymKey',
  '*.pseudonymKey',
  'connectionString',
  '*.connectionString',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const mask = (text: string): string => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);
  return pino(
    {
      level: options.level,
      base: { app: 'puls' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          if (secrets.length > 0) {
            args = args.map((a) => (typeof a === 'string' ? mask(a) : a)) as typeof args;
          }
          method.apply(this, args);
        },
      },
      serializers: {
        err: (err: unknown) => {
          const s = pino.stdSerializers.err(err as Error);
          if (secrets.length > 0 && s) {
            s.message = mask(s.message ?? '');
            s.stack = mask(s.stack ?? '');
          }
          return s;
        },
      },
    },
    options.destination,
  );
}
