// Message keys for the exchange's codes (zones, credential kinds, registration states), typed
// so that a new code without a label is a type error.
import type { Classification, CredentialKind, NodeRegistration, NodeView } from '../../api.ts';
import type { MessageKey } from '../../i18n/index.tsx';

export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['token', 'certificate', 'address'];
export const REGISTRATION_STATUSES: readonly NodeRegistration['status'][] = ['pending', 'approved', 'rejected'];

// Records rather than lists, so that a zone or classification the server adds without a label
// here fails the type check; the order is the order shown.
const ZONE_LABELS: Record<NodeView['zone'], MessageKey> = { internal: 'exchange.zone.internal', external: 'exchange.zone.external', public: 'exchange.zone.public' };
export const ZONES = Object.keys(ZONE_LABELS) as NodeView['zone'][];
const CLASSIFICATION_LABELS: Record<Classification, MessageKey> = {
  public: 'exchange.classification.public',
  internal: 'exchange.classification.internal',
  personal: 'exchange.classification.personal',
  sensitive: 'exchange.classification.sensitive',
};
export const CLASSIFICATIONS = Object.keys(CLASSIFICATION_LABELS) as Classification[];
export const classificationLabel = (classification: Classification): MessageKey => CLASSIFICATION_LABELS[classification];
/** The status API types the zone as a plain string; an unknown one is shown as it is. */
export const zoneWords = (t: (key: MessageKey) => string, zone: string): string => (zone in ZONE_LABELS ? t(ZONE_LABELS[zone as NodeView['zone']]) : zone);

export const zoneLabel = (zone: NodeView['zone']): MessageKey => `exchange.zone.${zone}`;
export const kindLabel = (kind: CredentialKind): MessageKey => `exchange.client.kind.${kind}`;
export const kindHint = (kind: CredentialKind): MessageKey => `exchange.client.kindHint.${kind}`;
export const registrationStatusLabel = (status: NodeRegistration['status'] | 'all'): MessageKey => `exchange.registrations.status.${status}`;
