// A service's status in words; the colour only repeats it.
import { useI18n } from '../../i18n/index.tsx';
import { STATUS_LABELS, STATUS_TONE, type ServiceStatus } from './api.ts';

export function ServiceStatusBadge({ status }: { status: ServiceStatus }) {
  const { t } = useI18n();
  return <span className={`badge ${STATUS_TONE[status]}`}>{t(STATUS_LABELS[status])}</span>;
}
