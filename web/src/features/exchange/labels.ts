// Message keys for the exchange's codes (zones, credential kinds, registration states), typed
// so that a new code without a label is a type error.
import type { CredentialKind, NodeRegistration, NodeView } from '../../api.ts';
import type { MessageKey } from '../../i18n/index.tsx';

export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['token', 'certificate', 'address'];
export const REGISTRATION_STATUSES: readonly NodeRegistration['status'][] = ['pending', 'approved', 'rejected'];

export const zoneLabel = (zone: NodeView['zone']): MessageKey => `exchange.zone.${zone}`;
export const kindLabel = (kind: CredentialKind): MessageKey => `exchange.client.kind.${kind}`;
export const kindHint = (kind: CredentialKind): MessageKey => `exchange.client.kindHint.${kind}`;
export const registrationStatusLabel = (status: NodeRegistration['status'] | 'all'): MessageKey => `exchange.registrations.status.${status}`;
