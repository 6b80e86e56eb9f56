// The registry's definition for a records page, and whether the signed-in user keeps it: the
// owner organization's officers and administrators read and change its records here; anyone
// else is refused by the server, which the pages show.
import { useEffect, useRef } from 'react';
import type { Resource } from '../../../hooks.ts';
import { useResource } from '../../../hooks.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { hasAnyRole, useCurrentSession } from '../../../session.tsx';
import { registriesApi, type RegistryDetail } from './api.ts';

export function useRegistry(name: string): Resource<RegistryDetail> {
  return useResource(() => registriesApi.definition(name), `registry:${name}`);
}

export function useKeeps(definition: RegistryDetail | undefined): boolean {
  const session = useCurrentSession();
  return !!definition && session.user.orgId === definition.ownerOrgId && hasAnyRole(session, 'org_admin', 'officer');
}

/**
 * Loads again after a language switch when the last answer was a refusal, so the server's
 * words follow the language (a successful read is not repeated: each one is logged).
 */
export function useRefusalFollowsLanguage(resource: Resource<unknown>): void {
  const { lang } = useI18n();
  const last = useRef(lang);
  useEffect(() => {
    if (last.current === lang) return;
    last.current = lang;
    if (resource.error && resource.error.status >= 400 && resource.error.status < 500) resource.reload();
  }, [lang, resource]);
}
