// A modal confirmation on the native <dialog>: the browser traps focus, Escape cancels, and
// focus returns to the button that opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/index.tsx';

export function ConfirmDialog({ open, message, confirmLabel, danger, onConfirm, onCancel }: { open: boolean; message: ReactNode; confirmLabel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const messageId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // The safe choice has focus, so a stray Enter does not deactivate or revoke anything.
      cancelRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-describedby={messageId} aria-label={confirmLabel} onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <p id={messageId}>{message}</p>
      <div className="button-row">
        <button type="button" className={danger ? 'button button-danger' : 'button'} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} ref={cancelRef}>
          {t('common.cancel')}
        </button>
      </div>
    </dialog>
  );
}

/** A modal holding a form (edit user, reset password, edit subsystem). */
export function FormDialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog dialog-wide" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {open && children}
    </dialog>
  );
}
