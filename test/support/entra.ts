// Local stand-ins for what the keyless storage path meets in Azure: a TLS certificate for the
// emulator's https endpoint, and App Service's managed identity endpoint (IDENTITY_ENDPOINT +
// IDENTITY_HEADER), which hands out Microsoft Entra access tokens for a resource.
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';

export interface TestCertificate {
  certPath: string;
  keyPath: string;
  certPem: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, written as PEM files into dir. */
export function createTestCertificate(dir: string): TestCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const name = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  writeFileSync(certPath, certPem);
  writeFileSync(keyPath, keyPem);
  return { certPath, keyPath, certPem };
}

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface TokenClaims {
  aud: string;
  tid?: string;
  /** The identity's client id. */
  appid?: string;
  /** Seconds from now; negative for an expired token. */
  expiresInS?: number;
  iss?: string;
}

/** An RS256 access token shaped like one from Microsoft Entra ID (v1 issuer). */
export function issueToken(claims: TokenClaims): { token: string; expiresOn: number } {
  const now = Math.floor(Date.now() / 1000);
  const tid = claims.tid ?? '00000000-0000-0000-0000-0000000000aa';
  const exp = now + (claims.expiresInS ?? 3600);
  const header = base64url({ alg: 'RS256', typ: 'JWT', kid: 'puls-test' });
  const payload = base64url({
    aud: claims.aud,
    iss: claims.iss ?? `https://sts.windows.net/${tid}/`,
    iat: now - 60,
    nbf: now - 60,
    exp,
    tid,
    appid: claims.appid,
    oid: randomUUID(),
    sub: claims.appid,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), signingKey).toString('base64url');
  return { token: `${header}.${payload}.${signature}`, expiresOn: exp };
}

export interface TokenRequest {
  resource: string;
  clientId: string | undefined;
  apiVersion: string | undefined;
}

/**
 * App Service's managed identity endpoint as MSAL calls it: GET ?api-version=2019-08-01&resource=…
 * [&client_id=…] with the X-IDENTITY-HEADER secret. Issues a token for the requested resource.
 */
export class FakeManagedIdentityEndpoint {
  readonly requests: TokenRequest[] = [];
  readonly header = randomUUID();
  /** Overrides the audience of issued tokens (to show that the table service checks it). */
  audience: string | undefined;
  private server?: http.Server;
  url = '';

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      if (req.headers['x-identity-header'] !== this.header) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_request', error_description: 'X-IDENTITY-HEADER' }));
        return;
      }
      const request: TokenRequest = {
        resource: query.get('resource') ?? '',
        clientId: query.get('client_id') ?? undefined,
        apiVersion: query.get('api-version') ?? undefined,
      };
      this.requests.push(request);
      const { token, expiresOn } = issueToken({
        aud: this.audience ?? request.resource,
        appid: request.clientId,
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: token,
          expires_on: String(expiresOn),
          resource: request.resource,
          token_type: 'Bearer',
          client_id: request.clientId,
        }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
    return this.url;
  }

  /** What App Service sets in the environment of an app with a managed identity. */
  environment(): Record<string, string> {
    return { IDENTITY_ENDPOINT: this.url, IDENTITY_HEADER: this.header };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
