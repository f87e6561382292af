// Who may use the officers' tab. In Teams the tab sends the Entra token it got from
// authentication.getAuthToken() (Teams SSO); this module validates it against Entra's published
// signing keys (JWKS) with jose — signature, expiry, audience (the app's api:// id or its client id),
// issuer (v2.0 or v1 form of the token's own tenant), tenant in ALLOWED_TENANT_IDS — and checks the
// officer role (OFFICER_AAD_IDS or membership of OFFICER_GROUP_ID). It fails closed.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { TabOfficer } from './data-source';

export interface TabAuthOptions {
  jwksUrl: string;
  /** Accepted `aud` values: the Application ID URI (v1 tokens) and the client id (v2 tokens). */
  audiences: readonly string[];
  /** Lower-cased tenant ids; undefined or empty: no tenant is served (fail closed). */
  allowedTenantIds: ReadonlySet<string> | undefined;
  /** Lower-cased Entra object ids of the officers. */
  officerAadIds: ReadonlySet<string>;
  /** Lower-cased Entra group id whose members are officers too. */
  officerGroupId: string | undefined;
  /** Seconds of clock skew tolerated on exp/nbf (default 120). */
  clockToleranceSeconds?: number;
  /** Bound on a JWKS fetch (default 5000 ms). */
  jwksTimeoutMs?: number;
}

export type TabAuthResult =
  { ok: true; officer: TabOfficer } | { ok: false; status: 401 | 403 | 503; reason: TabAuthFailure };

export type TabAuthFailure =
  | 'missing_token'
  | 'invalid_token'
  | 'expired'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'foreign_tenant'
  | 'not_officer'
  | 'keys_unavailable'
  /** Local mode: the caller is not this machine, or the page is not one Puls served. */
  | 'not_loopback';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class TabTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly o: TabAuthOptions) {
    this.jwks = createRemoteJWKSet(new URL(o.jwksUrl), {
      timeoutDuration: o.jwksTimeoutMs ?? 5000,
      // Entra rolls keys over every few weeks; an unknown kid refetches after the cooldown.
      cooldownDuration: 30_000,
      cacheMaxAge: 24 * 60 * 60 * 1000,
    });
  }

  /** Validates "Bearer <token>" and resolves with the officer, or with 401/403 and the reason. */
  async verify(authorization: string | undefined): Promise<TabAuthResult> {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization?.trim() ?? '')?.[1];
    if (!token) return { ok: false, status: 401, reason: 'missing_token' };
    if (this.o.audiences.length === 0) return { ok: false, status: 401, reason: 'wrong_audience' };

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        audience: [...this.o.audiences],
        algorithms: ['RS256'],
        clockTolerance: this.o.clockToleranceSeconds ?? 120,
        requiredClaims: ['exp', 'iss', 'aud'],
      }));
    } catch (err) {
      const reason = failureOf(err);
      return { ok: false, status: reason === 'keys_unavailable' ? 503 : 401, reason };
    }

    const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : '';
    if (!GUID.test(tid)) return { ok: false, status: 401, reason: 'invalid_token' };
    const issuers = [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
    if (!issuers.includes(String(payload.iss).toLowerCase())) {
      return { ok: false, status: 401, reason: 'wrong_issuer' };
    }
    if (!this.o.allowedTenantIds?.has(tid)) return { ok: false, status: 403, reason: 'foreign_tenant' };

    const oid = typeof payload.oid === 'string' ? payload.oid.toLowerCase() : '';
    if (!GUID.test(oid)) return { ok: false, status: 401, reason: 'invalid_token' };
    const groups = Array.isArray(payload.groups) ? payload.groups.map((g) => String(g).toLowerCase()) : [];
    const officer =
      this.o.officerAadIds.has(oid) ||
      (this.o.officerGroupId !== undefined && groups.includes(this.o.officerGroupId));
    if (!officer) return { ok: false, status: 403, reason: 'not_officer' };

    const name = typeof payload.name === 'string' ? payload.name.slice(0, 100) : '';
    return { ok: true, officer: { id: oid, name, tenantId: tid } };
  }
}

function failureOf(err: unknown): TabAuthFailure {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    return err.claim === 'aud' ? 'wrong_audience' : err.claim === 'iss' ? 'wrong_issuer' : 'invalid_token';
  }
  if (err instanceof errors.JWKSTimeout) return 'keys_unavailable';
  if (err instanceof errors.JOSEError) return 'invalid_token';
  // A JWKS endpoint that cannot be reached or answers garbage.
  return 'keys_unavailable';
}

/** The officer of a local, unauthenticated run (no MicrosoftAppId), on loopback only. */
export const LOCAL_OFFICER: TabOfficer = {
  id: 'local-officer',
  name: 'Lokale:r Beauftragte:r',
  tenantId: undefined,
};

/** True for a loopback peer address (127.0.0.0/8, ::1, IPv4-mapped loopback). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** True for a Host header that names the loopback interface (guards local mode against DNS rebinding). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}
