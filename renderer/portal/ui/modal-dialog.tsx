/**
 * A modal dialog on the native `<dialog>` (`showModal()`): the browser traps focus inside, Escape closes
 * it, the page behind is inert, and focus returns to what opened it (or to the page heading when the
 * action removed it). Labelled by its title.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}

/** Renders the dialog; opens it modally while `open`. */
export function ModalDialog({ open, title, onClose, children, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal();
      return () => {
        if (dialog.open) dialog.close();
        // Back to what opened it; if that is gone (the action removed it), to the page's heading.
        if (opener?.isConnected) opener.focus();
        else document.querySelector<HTMLElement>('[data-testid="page-heading"]')?.focus();
      };
    }
    return undefined;
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="p-dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <div className="p-dialog__body">
          <h2 id={titleId}>{title}</h2>
          {children}
        </div>
      )}
    </dialog>
  );
}
