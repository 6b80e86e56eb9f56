// Registration of relying parties: one per business subsystem of the directory, with its
// redirect URIs, scopes and either a secret (sealed with the master key, shown once) or the
// public keys it signs its token requests with. Every change is audited.
import { auditActor, type RequestContext } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../../platform/errors.ts';
import { newId, newSecret } from '../../../platform/ids.ts';
import type { SecretBox } from '../../../platform/secret-box.ts';
import type { AdapterPayload } from 'oidc-provider';
import * as policy from './client-policy.ts';
import type { OidcClient, OidcClientCreate, OidcClientUpdate, OidcClientWithSecret } from './client-schema.ts';
import * as store from './client-store.ts';
import type { ClientRow } from './client-store.ts';
import { jwksProblems, scopeProblems, uriListProblems } from './client-validation.ts';
import * as payloads from './payload-store.ts';
import { ttlCache } from './ttl-cache.ts';

export type SubsystemLookup = {
  findSubsystem(id: string): Promise<{ id: string; orgId: string; identifier: string; nameZh: string; nameEn: string; status: 'active' | 'inactive' } | undefined>;
};

export type ClientDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  box: SecretBox;
  directory: SubsystemLookup;
  /** The provider's own check of client metadata, after ours (e.g. a JWKS it cannot use). */
  validateMetadata: (metadata: AdapterPayload) => Promise<void>;
};

const secretContext = (clientId: string) => `identity.oidc_clients/${clientId}/secret`;

/**
 * How long the provider's view of a client is reused. The provider reads it on every request
 * (two queries and opening the sealed secret); edits, secret rotations and deletions made
 * through this process apply at once, while one made on another replica sharing the database,
 * or deactivating the business system, applies within this time. Kept short for that reason.
 */
const PROVIDER_METADATA_MS = 5_000;

function notFound(clientId: string) {
  return new NotFoundError('sign-in client', clientId, '统一身份认证客户端');
}

export function createClientService(deps: ClientDeps) {
  const { db, audit, clock, box, directory } = deps;
  // Unknown clients are not kept, so one registered on another replica works at once.
  const providerView = ttlCache<string, AdapterPayload | undefined>(PROVIDER_METADATA_MS, (metadata) => metadata !== undefined);

  function metadata(row: ClientRow, nameZh: string, secret: string | undefined): AdapterPayload {
    return {
      client_id: row.client_id,
      ...(secret !== undefined ? { client_secret: secret } : {}),
      client_name: nameZh,
      redirect_uris: row.redirect_uris,
      post_logout_redirect_uris: row.post_logout_redirect_uris,
      scope: row.scopes.join(' '),
      grant_types: row.scopes.includes('offline_access') ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: row.auth_method,
      ...(row.jwks ? { jwks: row.jwks as AdapterPayload['jwks'] } : {}),
      id_token_signed_response_alg: row.id_token_alg,
    };
  }

  async function present(row: ClientRow): Promise<OidcClient> {
    const subsystem = await directory.findSubsystem(row.subsystem_id);
    return {
      clientId: row.client_id,
      subsystemId: row.subsystem_id,
      subsystemIdentifier: subsystem?.identifier ?? '',
      nameZh: subsystem?.nameZh ?? '',
      nameEn: subsystem?.nameEn ?? '',
      orgId: row.org_id,
      redirectUris: row.redirect_uris,
      postLogoutRedirectUris: row.post_logout_redirect_uris,
      scopes: row.scopes,
      authMethod: row.auth_method,
      jwks: row.jwks as OidcClient['jwks'],
      idTokenSigningAlg: row.id_token_alg,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      secretRotatedAt: row.secret_rotated_at?.toISOString() ?? null,
    };
  }

  /** Our rules first (bilingual, per field), then the provider's own check of the result. */
  async function validate(row: ClientRow, nameZh: string, secret: string | undefined): Promise<void> {
    const problems: FieldError[] = [
      ...uriListProblems('redirectUris', row.redirect_uris),
      ...uriListProblems('postLogoutRedirectUris', row.post_logout_redirect_uris),
      ...scopeProblems(row.scopes),
      ...jwksProblems(row.auth_method, row.jwks),
    ];
    if (problems.length > 0) throw new ValidationError(problems);
    try {
      await deps.validateMetadata(metadata(row, nameZh, secret ?? 'x'.repeat(43)));
    } catch (err) {
      const description = (err as { error_description?: string }).error_description ?? (err as Error).message;
      const field = /jwks/.test(description) ? 'jwks' : /redirect/.test(description) ? 'redirectUris' : 'body';
      throw new ValidationError([{ field, code: 'invalid_client_metadata', message: `is not accepted by the OpenID provider: ${description}`, messageZh: `未被 OpenID 提供方接受：${description}` }]);
    }
  }

  async function loadProviderMetadata(clientId: string): Promise<AdapterPayload | undefined> {
    const row = await store.findClient(db, clientId);
    if (!row) return undefined;
    const subsystem = await directory.findSubsystem(row.subsystem_id);
    if (!subsystem || subsystem.status !== 'active') return undefined;
    const secret = row.secret_sealed ? box.open(row.secret_sealed, secretContext(row.client_id)).toString('utf8') : undefined;
    return metadata(row, subsystem.nameZh, secret);
  }

  async function getForManagement(ctx: RequestContext, clientId: string): Promise<ClientRow> {
    const row = await store.findClient(db, clientId);
    if (!row) throw notFound(clientId);
    policy.assertMayManageClientOf(ctx.actor, row.org_id);
    return row;
  }

  function record(trx: Parameters<Audit['record']>[0], ctx: RequestContext, action: string, clientId: string, detail: Record<string, unknown>) {
    return audit.record(trx, { actor: auditActor(ctx.actor), action, subjectType: 'oidc_client', subjectId: clientId, outcome: 'success', detail, ip: ctx.ip, requestId: ctx.requestId });
  }

  return {
    /** The provider's view of a client: undefined when unknown or its business system is deactivated. */
    providerMetadata: (clientId: string): Promise<AdapterPayload | undefined> => providerView.get(clientId, () => loadProviderMetadata(clientId)),

    /** The business system's name, for the sign-in page. */
    async displayName(clientId: string, lang: 'zh-CN' | 'en'): Promise<string> {
      const row = await store.findClient(db, clientId);
      const subsystem = row && (await directory.findSubsystem(row.subsystem_id));
      return subsystem ? (lang === 'en' ? subsystem.nameEn : subsystem.nameZh) : clientId;
    },

    async list(ctx: RequestContext, orgId: string | undefined): Promise<OidcClient[]> {
      const scope = policy.listScope(ctx.actor, orgId);
      return Promise.all((await store.listClients(db, scope)).map(present));
    },

    async get(ctx: RequestContext, clientId: string): Promise<OidcClient> {
      return present(await getForManagement(ctx, clientId));
    },

    async create(ctx: RequestContext, input: OidcClientCreate): Promise<OidcClientWithSecret> {
      const subsystem = await directory.findSubsystem(input.subsystemId);
      if (!subsystem) throw new ValidationError([{ field: 'subsystemId', code: 'unknown_subsystem', message: 'is not a business system in the directory', messageZh: '不是目录中的业务系统' }]);
      policy.assertMayManageClientOf(ctx.actor, subsystem.orgId);
      if (subsystem.status !== 'active') throw new ValidationError([{ field: 'subsystemId', code: 'subsystem_inactive', message: 'is deactivated: activate the business system first', messageZh: '已停用：请先启用该业务系统' }]);
      const now = clock.now();
      const clientId = newId();
      const secret = input.authMethod === 'client_secret_basic' ? newSecret(32) : undefined;
      const row: ClientRow = {
        client_id: clientId,
        subsystem_id: subsystem.id,
        org_id: subsystem.orgId,
        redirect_uris: input.redirectUris,
        post_logout_redirect_uris: input.postLogoutRedirectUris ?? [],
        scopes: input.scopes,
        auth_method: input.authMethod,
        secret_sealed: secret ? box.seal(Buffer.from(secret), secretContext(clientId)) : null,
        jwks: (input.jwks as ClientRow['jwks']) ?? null,
        id_token_alg: input.idTokenSigningAlg ?? 'ES256',
        version: 1,
        created_at: now,
        updated_at: now,
        secret_rotated_at: null,
      };
      await validate(row, subsystem.nameZh, secret);
      if (await store.findClientBySubsystem(db, subsystem.id)) {
        throw new ConflictError('client_exists', 'This business system already has a sign-in client: edit it or rotate its secret.', '该业务系统已有统一身份认证客户端：请修改它或更换其密钥。');
      }
      await db.transaction().execute(async (trx) => {
        await store.insertClient(trx, row);
        await record(trx, ctx, 'identity.oidc_client.create', clientId, { subsystemId: subsystem.id, redirectUris: row.redirect_uris, scopes: row.scopes, authMethod: row.auth_method });
      });
      return { ...(await present(row)), clientSecret: secret ?? null };
    },

    async update(ctx: RequestContext, clientId: string, input: OidcClientUpdate): Promise<OidcClient> {
      const current = await getForManagement(ctx, clientId);
      if (current.version !== input.version) throw staleVersion();
      const subsystem = await directory.findSubsystem(current.subsystem_id);
      const next: ClientRow = {
        ...current,
        redirect_uris: input.redirectUris ?? current.redirect_uris,
        post_logout_redirect_uris: input.postLogoutRedirectUris ?? current.post_logout_redirect_uris,
        scopes: input.scopes ?? current.scopes,
        jwks: (input.jwks as ClientRow['jwks']) ?? current.jwks,
        id_token_alg: input.idTokenSigningAlg ?? current.id_token_alg,
        version: current.version + 1,
        updated_at: clock.now(),
      };
      await validate(next, subsystem?.nameZh ?? '', undefined);
      await db.transaction().execute(async (trx) => {
        const locked = await store.findClient(trx, clientId, true);
        if (!locked || locked.version !== input.version) throw staleVersion();
        const { redirect_uris, post_logout_redirect_uris, scopes, jwks, id_token_alg, version, updated_at } = next;
        await store.updateClient(trx, clientId, { redirect_uris, post_logout_redirect_uris, scopes, jwks, id_token_alg, version, updated_at });
        await record(trx, ctx, 'identity.oidc_client.update', clientId, { redirectUris: redirect_uris, postLogoutRedirectUris: post_logout_redirect_uris, scopes });
      });
      providerView.delete(clientId);
      return present(next);
    },

    async rotateSecret(ctx: RequestContext, clientId: string): Promise<OidcClientWithSecret> {
      const current = await getForManagement(ctx, clientId);
      if (current.auth_method !== 'client_secret_basic') {
        throw new ConflictError('no_secret', 'This client authenticates with private_key_jwt and has no secret: update its JWKS instead.', '该客户端使用 private_key_jwt 认证，没有密钥：请更新其公钥集。');
      }
      const secret = newSecret(32);
      const now = clock.now();
      const next: ClientRow = { ...current, secret_sealed: box.seal(Buffer.from(secret), secretContext(clientId)), secret_rotated_at: now, updated_at: now, version: current.version + 1 };
      await db.transaction().execute(async (trx) => {
        await store.updateClient(trx, clientId, { secret_sealed: next.secret_sealed, secret_rotated_at: now, updated_at: now, version: next.version });
        await record(trx, ctx, 'identity.oidc_client.rotate_secret', clientId, {});
      });
      providerView.delete(clientId);
      return { ...(await present(next)), clientSecret: secret };
    },

    /** Removes the client and every session artefact, code and token issued to it. */
    async remove(ctx: RequestContext, clientId: string): Promise<void> {
      const current = await getForManagement(ctx, clientId);
      await db.transaction().execute(async (trx) => {
        await payloads.deleteByClient(trx, clientId);
        await store.deleteClient(trx, clientId);
        await record(trx, ctx, 'identity.oidc_client.delete', clientId, { subsystemId: current.subsystem_id });
      });
      providerView.delete(clientId);
    },
  };
}

function staleVersion() {
  return new ConflictError('version_conflict', 'The client was changed by someone else meanwhile. Reload it and try again.', '该客户端已被他人修改，请刷新后重试。');
}

export type ClientService = ReturnType<typeof createClientService>;
