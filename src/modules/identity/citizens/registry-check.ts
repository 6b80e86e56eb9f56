// Real-name checks against the base registries, read THROUGH THE EXCHANGE as the identity
// subsystem: the population registry (the person exists, is living, the name matches) and
// the legal-entity registry (the enterprise exists, is active, who represents it). The data
// belong to public security and market regulation, so every read is authorized by their
// access right, signed and logged by the exchange and the registry, even on one node: the
// call goes in process to this node's /r1 with the subsystem's own API token.
import type { Executor } from '../../../platform/db.ts';
import { ConflictError } from '../../../platform/errors.ts';
import type { SecretBox } from '../../../platform/secret-box.ts';
import * as store from './store.ts';

/** This node's HTTP stack, in process (Fastify's inject). */
export type Inject = (request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; payload?: string }) => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;

export type RegistryService = { identifier: string; version: string };

/** One read of a person's record, as GovStack's myPersonalDataUsage answers it (plus purpose and fields). */
export type PersonalDataRead = {
  id?: string;
  readerId?: string;
  readerInstitutionName?: string;
  readerApplicationName?: string;
  searchDateTime?: string;
  purpose?: string;
  fields?: string[];
};

export type RegistryCheckDeps = {
  db: Executor;
  box: SecretBox;
  /** The subsystem the identity service calls as (canonical identifier), if one is set up. */
  clientSubsystem: () => Promise<string | undefined>;
  /** The exchange service a registry is published as, if any. */
  registryService: (registry: 'population' | 'legal-entities') => Promise<RegistryService | undefined>;
  /** Issues an API token credential for the subsystem (exchange client authentication). */
  issueToken: (subsystem: string) => Promise<{ credentialId: string; token: string }>;
};

export type PersonCheck =
  | { outcome: 'match'; exchangeId: string | null }
  | { outcome: 'not_found' | 'not_living' | 'name_mismatch'; exchangeId: string | null };

export type EntityCheck =
  | { outcome: 'match'; name: string; exchangeId: string | null }
  | { outcome: 'not_found' | 'not_active' | 'not_representative'; exchangeId: string | null };

/** The registry could not answer: nothing is decided, nothing is written. */
export function verificationUnavailable(registry: string, why: string): ConflictError {
  return new ConflictError(
    'verification_unavailable',
    `Real-name verification against the ${registry} registry cannot be done now (${why}). Nothing was saved; try again later.`,
    `暂时无法通过${registry === 'population' ? '人口' : '法人单位'}基础信息库完成实名核验（${why}），未保存任何信息，请稍后重试。`,
  );
}

/** Names compare after Unicode normalization and without spaces ("张 三" is 张三). */
export function sameName(a: string, b: string): boolean {
  const fold = (s: string) => s.normalize('NFKC').replace(/[\s\u00b7\u30fb.]/g, '').toLowerCase();
  return fold(a) === fold(b);
}

export function createRegistryCheck(deps: RegistryCheckDeps) {
  let inject: Inject | undefined;

  async function token(subsystem: string, renew: boolean): Promise<string> {
    const context = `identity.citizen_exchange_credentials:${subsystem}`;
    if (!renew) {
      const row = await store.findCredential(deps.db, subsystem);
      if (row) return deps.box.open(row.token_sealed, context).toString('utf8');
    } else {
      await store.deleteCredential(deps.db, subsystem);
    }
    const issued = await deps.issueToken(subsystem);
    await store.insertCredential(deps.db, { subsystem, credential_id: issued.credentialId, token_sealed: deps.box.seal(Buffer.from(issued.token), context), created_at: new Date() });
    // Another request may have stored its token first: use whichever was kept.
    const kept = await store.findCredential(deps.db, subsystem);
    return kept ? deps.box.open(kept.token_sealed, context).toString('utf8') : issued.token;
  }

  /**
   * One call to `registry`'s service through the exchange, as the identity subsystem, with the
   * person it is for in X-Road-UserId; a revoked or lost credential is replaced once.
   */
  async function callRegistry(registry: 'population' | 'legal-entities', call: { method: 'GET' | 'POST'; path: (version: string) => string; body?: unknown; lang?: string }, purpose: { issue: string; userId: string }) {
    if (!inject) throw verificationUnavailable(registry, 'the exchange is not running in this process');
    const [subsystem, service] = await Promise.all([deps.clientSubsystem(), deps.registryService(registry)]);
    if (!subsystem) throw verificationUnavailable(registry, 'no identity subsystem is registered to read it');
    if (!service) throw verificationUnavailable(registry, 'the registry is not published on the exchange');
    const send = async (bearer: string) =>
      inject!({
        method: call.method,
        url: `/r1/${service.identifier}${call.path(encodeURIComponent(service.version))}`,
        headers: {
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(call.lang ? { 'accept-language': call.lang } : {}),
          'x-road-client': subsystem,
          authorization: `Bearer ${bearer}`,
          'x-road-issue': purpose.issue,
          'x-road-userid': purpose.userId,
        },
        payload: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
    let res = await send(await token(subsystem, false));
    if (res.statusCode === 401 || res.headers['x-road-error'] === 'Client.Unauthenticated' || res.headers['x-road-error'] === 'Client.NotOwner') res = await send(await token(subsystem, true));
    const exchangeId = typeof res.headers['x-road-id'] === 'string' ? res.headers['x-road-id'] : null;
    return { res, exchangeId };
  }

  const unavailable = (registry: string, res: { statusCode: number; headers: Record<string, unknown> }) =>
    verificationUnavailable(registry, `the exchange answered ${typeof res.headers['x-road-error'] === 'string' ? res.headers['x-road-error'] : `status ${res.statusCode}`}`);

  /** Reads one record of `registry` by its key through the exchange; undefined when there is none. */
  async function readRecord(registry: 'population' | 'legal-entities', key: Record<string, string>, purpose: { issue: string; userId: string }): Promise<{ content: Record<string, unknown> | undefined; exchangeId: string | null }> {
    const { res, exchangeId } = await callRegistry(registry, { method: 'POST', path: (version) => `/data/${registry}/${version}/read`, body: { query: { content: key } } }, purpose);
    if (res.statusCode === 404 && !res.headers['x-road-error']) return { content: undefined, exchangeId };
    if (res.statusCode !== 200) throw unavailable(registry, res);
    const body = JSON.parse(res.body) as { content?: Record<string, unknown> };
    return { content: body.content ?? {}, exchangeId };
  }

  return {
    /**
     * Who read this person's population record (GovStack's myPersonalDataUsage, newest first),
     * asked for the person themselves (X-Road-UserId is them); an empty list when nobody has.
     */
    async personalDataUsage(idNumber: string, lang: 'zh-CN' | 'en'): Promise<PersonalDataRead[]> {
      const query = new URLSearchParams({ userId: idNumber, databaseId: 'population' });
      const { res } = await callRegistry('population', { method: 'GET', path: () => `/data/myPersonalDataUsage?${query}`, lang }, { issue: 'personal-data-usage', userId: idNumber });
      if (res.statusCode === 404 && !res.headers['x-road-error']) return [];
      if (res.statusCode !== 200) throw unavailable('population', res);
      return JSON.parse(res.body) as PersonalDataRead[];
    },

    /** One record of a registry by its key, read through the exchange for `purpose` (prefilling an e-form, say). */
    readRecord,

    /** Gives the in-process HTTP stack once the routes are registered. */
    attach(fn: Inject): void {
      inject = fn;
    },

    /** The person with this ID number exists, is living, and is called `name`. */
    async checkPerson(idNumber: string, name: string, purpose: { issue: string; userId: string }): Promise<PersonCheck> {
      const { content, exchangeId } = await readRecord('population', { idNumber }, purpose);
      if (!content) return { outcome: 'not_found', exchangeId };
      if (content.status !== 'living') return { outcome: 'not_living', exchangeId };
      if (typeof content.name !== 'string' || !sameName(content.name, name)) return { outcome: 'name_mismatch', exchangeId };
      return { outcome: 'match', exchangeId };
    },

    /** The enterprise with this credit code exists, is active, and `idNumber` is its legal representative's. */
    async checkEntity(creditCode: string, idNumber: string, purpose: { issue: string; userId: string }): Promise<EntityCheck> {
      const { content, exchangeId } = await readRecord('legal-entities', { creditCode }, purpose);
      if (!content) return { outcome: 'not_found', exchangeId };
      if (content.status !== 'active') return { outcome: 'not_active', exchangeId };
      if (typeof content.legalRepId !== 'string' || content.legalRepId.toUpperCase() !== idNumber.toUpperCase()) return { outcome: 'not_representative', exchangeId };
      return { outcome: 'match', name: typeof content.name === 'string' ? content.name : creditCode, exchangeId };
    },
  };
}

export type RegistryCheck = ReturnType<typeof createRegistryCheck>;

/**
 * The subsystem the identity service reads the registries as: the configured one
 * (EGOV_CITIZEN_SUBSYSTEM), else the only active subsystem whose code is `identity` (the
 * demo's data bureau has it); undefined when there is none or more than one.
 */
export function identitySubsystemOf(subsystems: { code: string; identifier: string; status: string }[], configured: string | undefined): string | undefined {
  if (configured) return configured;
  const candidates = subsystems.filter((s) => s.code === 'identity' && s.status === 'active');
  return candidates.length === 1 ? candidates[0].identifier : undefined;
}
