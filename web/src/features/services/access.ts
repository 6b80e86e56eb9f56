// Who may write a guide, as the server's policy says (src/modules/services/catalog/policy.ts):
// the implementing organization's administrator or the platform administrator. The server
// checks again; this only hides buttons that would be refused.
import type { Session } from '../../api.ts';
import { hasAnyRole } from '../../session.tsx';

export const mayCreateServices = (session: Session) => hasAnyRole(session, 'platform_admin', 'org_admin');

export const mayEditService = (session: Session, orgId: string) => hasAnyRole(session, 'platform_admin') || (hasAnyRole(session, 'org_admin') && session.user.orgId === orgId);
