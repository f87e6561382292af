// Starts Azurite's table service inside this process (the official emulator, from npm), so that a
// fresh machine runs the bot and its tests on real Table Storage without an Azure account.
// TableServer is an internal path of the azurite package, not a public API: it is wrapped here only.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** Azurite's documented, well-known development account (public; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** A folder for persistent data; omit for in-memory. */
  location?: string;
  /** PEM files: serve HTTPS instead of HTTP (tests of the token path). */
  https?: { certPath: string; keyPath: string };
  /**
   * 'basic': also accept Microsoft Entra bearer tokens (HTTPS only). Azurite then checks each token's
   * lifetime, issuer and audience, not its signature; requests without any credential get 403.
   */
  oauth?: 'basic';
}

export interface RunningAzurite {
  /** Shared-key access to the account (works over HTTP and HTTPS). */
  readonly connectionString: string;
  /** The account's table endpoint, e.g. https://127.0.0.1:<port>/devstoreaccount1. */
  readonly tableUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface TableServerLike {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
}

export function azuriteConnectionString(
  host: string,
  port: number,
  protocol: 'http' | 'https' = 'http',
): string {
  return (
    `DefaultEndpointsProtocol=${protocol};AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_ACCOUNT_KEY};` +
    `TableEndpoint=${protocol}://${host}:${port}/${AZURITE_ACCOUNT};`
  );
}

/** False in a production install (npm ci --omit=dev): Azurite is a dev dependency. */
export function isAzuriteInstalled(): boolean {
  try {
    require.resolve('azurite/dist/src/table/TableServer');
    return true;
  } catch {
    return false;
  }
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { default: TableServer } = require('azurite/dist/src/table/TableServer') as {
    default: new (config: unknown) => TableServerLike;
  };
  const { default: TableConfiguration } = require('azurite/dist/src/table/TableConfiguration') as {
    default: new (...args: unknown[]) => unknown;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const inMemory = options.location === undefined;
  let dbPath = path.join(process.cwd(), '__azurite_db_table__.json');
  if (!inMemory) {
    mkdirSync(options.location!, { recursive: true });
    dbPath = path.join(options.location!, '__azurite_db_table__.json');
  }
  const configuration = new TableConfiguration(
    host,
    options.port ?? 0,
    undefined, // keepAliveTimeout: Azurite's default
    dbPath,
    false, // enableDebugLog
    false, // enableAccessLog
    undefined, // accessLogWriteStream
    undefined, // debugLogFilePath
    false, // loose
    false, // skipApiVersionCheck
    options.https?.certPath ?? '', // cert
    options.https?.keyPath ?? '', // key
    '', // pwd
    options.oauth, // oauth
    false, // disableProductStyleUrl
    inMemory,
  );
  const server = new TableServer(configuration);
  await server.start();
  const port = Number(new URL(`http://${server.getHttpServerAddress().replace(/^https?:\/\//, '')}`).port);
  const protocol = options.https ? 'https' : 'http';
  let stopped = false;
  return {
    connectionString: azuriteConnectionString(host, port, protocol),
    tableUrl: `${protocol}://${host}:${port}/${AZURITE_ACCOUNT}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      if (inMemory) await server.clean();
    },
  };
}
