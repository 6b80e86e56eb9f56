// oidc-provider configured for egov (decision 0019): the issuer is EGOV_PUBLIC_URL, endpoints
// under /oidc/, authorization code with PKCE (S256) only, refresh tokens with offline_access,
// RP-initiated logout, userinfo and revocation. Interaction pages are ours (interactions.ts).
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../../../platform/db.ts';
import type { Acting, AccountKinds, ClaimsRequest } from './accounts.ts';
import { adapterFactory, type ClientSource } from './adapter.ts';
import { CLAIMS_BY_SCOPE, SCOPES, releasedClaims } from './claims.ts';
import type { InteractionState } from './interaction-state.ts';
import type { ProviderKeys } from './keys.ts';
import { pickLang, t } from './language.ts';
import { logoutPage, messagePage } from './pages.ts';
import { withReadAhead } from './read-ahead.ts';

export type ProviderSettings = { issuer: string; accessTokenSeconds: number; refreshTokenDays: number; sessionHours: number };

export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  jwks: '/oidc/jwks',
  userinfo: '/oidc/me',
  end_session: '/oidc/session/end',
  revocation: '/oidc/token/revocation',
} as const;

const langOf = (ctx: KoaContextWithOIDC) => pickLang(ctx.query?.lang, ctx.get('accept-language'));

const ERROR_WORDS: Record<string, { zh: string; en: string }> = {
  invalid_request: { zh: '请求无效。请回到原来的系统重新发起登录。', en: 'The request is not valid. Go back to the system you came from and sign in again.' },
  invalid_client: { zh: '该业务系统未在平台注册或已被删除。请联系其管理员。', en: 'This business system is not registered with the platform, or was removed. Contact its administrator.' },
  invalid_redirect_uri: { zh: '登录后返回的地址未在平台登记。请联系该业务系统的管理员。', en: 'The address to return to after signing in is not registered. Contact the administrator of the business system.' },
  invalid_scope: { zh: '该业务系统请求了未被允许的权限。', en: 'The business system asked for access it is not allowed.' },
  access_denied: { zh: '访问被拒绝。', en: 'Access was denied.' },
};

/** What the act_as step answers (interactions.ts): an enterprise's credit code, or null for oneself. */
export type ActAsResult = { enterprise: string | null; service?: string };

/** The service code a client may name in the authorization request (`service=`), if any. */
export const serviceParam = (params: Record<string, unknown> | undefined) => (typeof params?.service === 'string' && params.service ? params.service.slice(0, 100) : undefined);

/**
 * Sign-in, then whom to act for, then consent. The act_as step comes when the client asks for
 * the `enterprise` scope and the person may act for at least one enterprise (for the service
 * the client names, if it names one); it is asked at every interactive authorization, and a
 * silent one (prompt=none) keeps the grant's earlier choice.
 */
function interactionSteps(accounts: AccountKinds) {
  const policy = interactionPolicy.base();
  const { Check, Prompt } = interactionPolicy;
  const actAs = new Prompt(
    { name: 'act_as', requestable: false },
    new Check('acting_not_chosen', 'choose whether to act for an enterprise', async (ctx) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId || oidc.result?.act_as || oidc.result?.consent || oidc.prompts.has('none')) return Check.NO_NEED_TO_PROMPT;
      if (!String(oidc.params?.scope ?? '').split(' ').includes('enterprise')) return Check.NO_NEED_TO_PROMPT;
      const account = accounts.parse(oidc.session.accountId);
      if (!account?.kind.actingOptions) return Check.NO_NEED_TO_PROMPT;
      const options = await account.kind.actingOptions(account.id, { service: serviceParam(oidc.params) });
      return options.length > 0 ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  policy.add(actAs, policy.findIndex((p) => p.name === 'consent'));
  return policy;
}

export function createProvider(deps: { db: Db; settings: ProviderSettings; keys: ProviderKeys; accounts: AccountKinds; clients: ClientSource; state: InteractionState }): Provider {
  const { settings, accounts, state } = deps;
  const configuration: Configuration = {
    adapter: adapterFactory(deps.db, deps.clients),
    clients: [],
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    responseTypes: ['code'],
    // Every client, confidential or not, proves possession with PKCE; only S256 exists in oidc-provider 9.
    pkce: { required: () => true },
    scopes: [...SCOPES],
    claims: CLAIMS_BY_SCOPE,
    jwks: { keys: deps.keys.signing as never[] },
    cookies: {
      keys: deps.keys.cookieKeys,
      names: { session: 'egov_oidc_session', interaction: 'egov_oidc_interaction', resume: 'egov_oidc_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: OIDC_ROUTES,
    interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}`, policy: interactionSteps(accounts) },
    // `service`: the service code an agent must be authorized for; `account_kind`: the kind of
    // account the sign-in page selects first (staff or citizen).
    extraParams: ['service', 'account_kind'],
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(langOf(ctx), form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource: async (ctx) => {
          const lang = langOf(ctx);
          ctx.type = 'html';
          ctx.body = messagePage(lang, t(lang, { zh: '已退出登录', en: 'Signed out' }), t(lang, { zh: '您已退出统一身份认证。', en: 'You are signed out of unified sign-in.' }));
        },
      },
    },
    ttl: {
      AccessToken: settings.accessTokenSeconds,
      IdToken: settings.accessTokenSeconds,
      AuthorizationCode: 60,
      Interaction: 30 * 60,
      Session: settings.sessionHours * 3600,
      Grant: settings.refreshTokenDays * 86_400,
      RefreshToken: settings.refreshTokenDays * 86_400,
    },
    // A used refresh token is replaced by a new one; presenting an old one again fails.
    rotateRefreshToken: () => true,
    // With a token (code, access or refresh token) the claims are the token's: its scopes, its
    // client, and whom the person acts for under its grant, checked again on every use, so an
    // agent whose authorization ended gets no more tokens or userinfo for the enterprise.
    findAccount: async (_ctx, sub, token) => {
      let request: ClaimsRequest | undefined;
      if (token && 'grantId' in token && token.grantId && token.clientId) {
        request = { scopes: new Set(String(token.scope ?? '').split(' ')), clientId: token.clientId, acting: await state.findActing(token.grantId, sub) };
      }
      const account = await accounts.resolve(sub, request);
      if (!account) return undefined;
      return { accountId: sub, claims: async (_use, scope) => releasedClaims(sub, account.claims, new Set(scope.split(' '))) };
    },
    // Clients are the platform's registered business systems, so what they ask for within their
    // registered scopes is granted without a question, except offline_access: that needs
    // prompt=consent, and the consent page (interactions.ts) grants it once the person agrees.
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      if (!oidc.client || !oidc.session?.accountId) return undefined;
      // Choosing whom to act for starts a grant of its own: tokens of an earlier grant keep the choice they were issued under.
      const chosen = oidc.result?.act_as as ActAsResult | undefined;
      const grantId = chosen ? undefined : oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
      let existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      // A grant acting for an enterprise is kept only by the consent step right after the choice
      // and by silent renewals; any other authorization starts afresh (and asks again if it applies).
      if (existing && !oidc.result?.consent && !oidc.prompts.has('none') && (await state.findActing(existing.jti, oidc.session.accountId))) existing = undefined;
      const grant = existing ?? new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      const requested = oidc.params?.scope ? String(oidc.params.scope) : 'openid';
      grant.addOIDCScope(requested.split(' ').filter((s) => s !== 'offline_access').join(' '));
      await grant.save();
      if (chosen) {
        const acting: Acting | null = chosen.enterprise ? { enterprise: chosen.enterprise, ...(chosen.service ? { service: chosen.service } : {}) } : null;
        await state.saveActing(grant.jti, { accountId: oidc.session.accountId, clientId: oidc.client.clientId, acting }, settings.refreshTokenDays * 86_400);
      }
      return grant;
    },
    renderError: async (ctx, out) => {
      const lang = langOf(ctx);
      const words = ERROR_WORDS[String(out.error)] ?? { zh: '出错了。请回到原来的系统重新发起登录。', en: 'Something went wrong. Go back to the system you came from and sign in again.' };
      ctx.type = 'html';
      ctx.body = messagePage(lang, t(lang, { zh: '无法完成登录', en: 'Sign-in could not be completed' }), `${t(lang, words)} (${String(out.error)})`);
    },
  };
  const provider = new Provider(settings.issuer, configuration);
  // The mount (mount.ts) sets X-Forwarded-* from EGOV_PUBLIC_URL itself, so every URL the
  // provider builds starts with the issuer, whatever Host header a caller sends.
  provider.proxy = true;
  // Each request reads ahead for itself only (read-ahead.ts).
  provider.use((_ctx, next) => withReadAhead(next));
  return provider;
}
