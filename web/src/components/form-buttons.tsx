import { useT } from '../i18n/index.tsx';
import { Link } from '../router.tsx';

/** A form's submit button (it says "saving" while busy) and its cancel: a button, or a link back when `cancelTo` is given. */
export function FormButtons({ busy, submitLabel, onCancel, cancelTo }: { busy: boolean; submitLabel: string; onCancel?: () => void; cancelTo?: string }) {
  const t = useT();
  return (
    <div className="button-row">
      <button type="submit" className="button" disabled={busy}>
        {busy ? t('common.saving') : submitLabel}
      </button>
      {cancelTo !== undefined ? (
        <Link to={cancelTo} className="button button-secondary">
          {t('common.cancel')}
        </Link>
      ) : (
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </div>
  );
}
