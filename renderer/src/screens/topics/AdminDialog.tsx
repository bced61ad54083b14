import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  title: string;
  /** What the confirm button says ("Delete topic"). */
  confirmLabel: string;
  danger?: boolean;
  /** Returns an error sentence to show (the dialog stays open, nothing typed is lost), or nothing when done. */
  onConfirm: () => Promise<string | undefined>;
  onClose: () => void;
  /** Keeps the confirm button off until what is typed makes sense. */
  canConfirm?: boolean;
  children: ReactNode;
}

/** The modal every topic and group action uses: explain, collect input, confirm, show the broker's refusal. */
export function AdminDialog({
  title,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
  canConfirm = true,
  children,
}: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => ref.current?.showModal(), []);

  const close = () => {
    ref.current?.close();
    onClose();
  };

  const confirm = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const problem = await onConfirm();
      if (problem) setError(problem);
      else close();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="file-picker reset-dialog admin-dialog"
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (canConfirm && !busy) void confirm();
        }}
      >
        <h2>{title}</h2>
        {children}
        {error && (
          <p role="alert" className="banner error">
            {error}
          </p>
        )}
        <div className="file-picker-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button
            type="submit"
            className={danger ? 'primary danger' : 'primary'}
            disabled={busy || !canConfirm}
          >
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
