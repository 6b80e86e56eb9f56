// The provider's keys: ES256 and RS256 signing keys (RS256 for relying parties that only know
// RSA) and the key that signs its cookies. Made on first start, kept in identity.oidc_keys
// with the private part sealed with the master key, as the trust module keeps its keys.
import crypto from 'node:crypto';
import type { Db } from '../../../platform/db.ts';
import type { Sealed, SecretBox } from '../../../platform/secret-box.ts';

export type SigningJwk = crypto.JsonWebKey & { kid: string; alg: 'ES256' | 'RS256'; use: 'sig' };
/** `clientSecretKey` derives the secrets of the platform's built-in clients (the workbench), the same on every replica. */
export type ProviderKeys = { signing: SigningJwk[]; cookieKeys: string[]; clientSecretKey: string };

type KeyRow = { kid: string; slot: string; public_jwk: unknown; private_sealed: Sealed; created_at: Date; retired_at: Date | null };

const SLOTS = ['sig-ES256', 'sig-RS256', 'cookie', 'client-secrets'] as const;
type Slot = (typeof SLOTS)[number];

const sealContext = (kid: string) => `identity.oidc_keys/${kid}`;

/** RFC 7638 thumbprint: a kid that names the key itself. */
function thumbprint(jwk: crypto.JsonWebKey): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return crypto.createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function makeKey(slot: Slot): { kid: string; privateJson: string; publicJwk: unknown } {
  if (slot === 'cookie' || slot === 'client-secrets') {
    return { kid: `${slot}-${crypto.randomUUID()}`, privateJson: JSON.stringify(crypto.randomBytes(32).toString('base64url')), publicJwk: null };
  }
  const alg = slot === 'sig-ES256' ? 'ES256' : 'RS256';
  const { privateKey, publicKey } = alg === 'ES256' ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }) : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ format: 'jwk' });
  const kid = thumbprint(pub);
  const meta = { kid, alg, use: 'sig' };
  return { kid, privateJson: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), ...meta }), publicJwk: { ...pub, ...meta } };
}

/** The live keys, made (and stored) for each slot that has none yet. */
export async function loadProviderKeys(db: Db, box: SecretBox, now: Date): Promise<ProviderKeys> {
  const live = async () => (await db.selectFrom('identity.oidc_keys').selectAll().where('retired_at', 'is', null).execute()) as KeyRow[];
  let rows = await live();
  const missing = SLOTS.filter((slot) => !rows.some((r) => r.slot === slot));
  if (missing.length > 0) {
    for (const slot of missing) {
      const key = makeKey(slot);
      const sealed = box.seal(Buffer.from(key.privateJson), sealContext(key.kid));
      // Another replica starting at the same moment may win the slot: its key is used then.
      await db
        .insertInto('identity.oidc_keys')
        .values({ kid: key.kid, slot, public_jwk: key.publicJwk === null ? null : JSON.stringify(key.publicJwk), private_sealed: JSON.stringify(sealed), created_at: now, retired_at: null })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    rows = await live();
  }
  const open = (row: KeyRow) => JSON.parse(box.open(row.private_sealed, sealContext(row.kid)).toString('utf8'));
  const bySlot = (slot: Slot) => rows.filter((r) => r.slot === slot).map(open);
  return { signing: [...bySlot('sig-ES256'), ...bySlot('sig-RS256')], cookieKeys: bySlot('cookie'), clientSecretKey: bySlot('client-secrets')[0] };
}
