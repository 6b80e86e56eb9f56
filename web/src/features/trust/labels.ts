// Message keys for the trust module's codes, typed so a new code without a label is an error.
import type { CertificateView } from '../../api.ts';
import type { MessageKey } from '../../i18n/index.tsx';

export const REVOCATION_REASONS = ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export const kindLabel = (profile: string): MessageKey => (['signing', 'seal', 'tls', 'tsa', 'member'].includes(profile) ? (`trust.kind.${profile}` as MessageKey) : 'trust.kind.signing');
export const suiteLabel = (suite: CertificateView['suite']): MessageKey => `trust.suite.${suite}`;
export const statusLabel = (status: CertificateView['status']): MessageKey => `trust.status.${status}`;
export const reasonLabel = (reason: string | null): MessageKey => (REVOCATION_REASONS.includes(reason as RevocationReason) ? (`trust.reason.${reason}` as MessageKey) : 'trust.reason.unspecified');
