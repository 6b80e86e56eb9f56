// Small status words of the catalog: an entry's state, its sharing type, a request's state.
// Each badge says its meaning in words; the colour only repeats it.
import { useI18n } from '../../i18n/index.tsx';
import type { EntryStatus, EntryMetadata, RequestStatus } from './api.ts';
import { ENTRY_STATUS_LABELS, REQUEST_STATUS_LABELS, SHARING_LABELS } from './labels.ts';

const ENTRY_TONE: Record<EntryStatus, string> = { draft: 'badge-inactive', submitted: 'badge-role', published: 'badge-success', rejected: 'badge-failure' };
const REQUEST_TONE: Record<RequestStatus, string> = { pending: 'badge-role', approved: 'badge-success', rejected: 'badge-failure', withdrawn: 'badge-inactive', revoked: 'badge-inactive', expired: 'badge-inactive' };
const SHARING_TONE: Record<EntryMetadata['sharing']['type'], string> = { unconditional: 'badge-success', conditional: 'badge-role', none: 'badge-inactive' };

export function EntryStatusBadge({ status }: { status: EntryStatus }) {
  const { t } = useI18n();
  return <span className={`badge ${ENTRY_TONE[status]}`}>{t(ENTRY_STATUS_LABELS[status])}</span>;
}

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useI18n();
  return <span className={`badge ${REQUEST_TONE[status]}`}>{t(REQUEST_STATUS_LABELS[status])}</span>;
}

export function SharingBadge({ type }: { type: EntryMetadata['sharing']['type'] }) {
  const { t } = useI18n();
  return <span className={`badge ${SHARING_TONE[type]}`}>{t(SHARING_LABELS[type])}</span>;
}
