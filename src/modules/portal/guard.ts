// The door of "my space": a page there needs the citizen session. Someone not signed in is
// sent to sign in and brought back to the page; a write without a live session or with the
// wrong CSRF token gets a page saying so (401/403), and nothing is done.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CitizenContext } from '../identity/index.ts';
import { DomainError, UnauthenticatedError } from '../../platform/errors.ts';
import type { Responder } from './respond.ts';
import type { PortalAccounts } from './routes.ts';
import { say } from './text.ts';

type Ctx = CitizenContext;

export function createGuard(respond: Responder, accounts: PortalAccounts) {
  const { render, langOf } = respond;
  /** The signed-in citizen for a page of my space; anyone else is sent to sign in and back. */
  async function signedIn(request: FastifyRequest, reply: FastifyReply, csrf?: string): Promise<Ctx | undefined> {
    try {
      return await accounts.require(request, csrf);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (request.method !== 'GET') {
        await render(request, reply, {
          status: err instanceof UnauthenticatedError ? 401 : 403,
          title: { zh: '无法完成', en: 'Not done' },
          viewer: { signedIn: false },
          body: (lang) => `<h1>${say(lang, { zh: '无法完成操作', en: 'That could not be done' })}</h1><p>${say(lang, { zh: '登录已过期或页面已失效，请重新打开页面后再试。', en: 'Your session has ended or the page is out of date. Open the page again and retry.' })}</p><p><a href="/me?lang=${lang}">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p>`,
        });
        return undefined;
      }
      await reply.header('cache-control', 'no-store').redirect(`/api/citizen/oidc/start?${new URLSearchParams({ next: request.url.slice(0, 2000), lang: langOf(request) })}`, 303);
      return undefined;
    }
  }

  return { signedIn, viewerFor: respond.viewerFor };
}
