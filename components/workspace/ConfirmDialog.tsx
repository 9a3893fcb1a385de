import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

export interface DialogChoice {
  label: string;
  /** The button's `data-action`. */
  action: string;
  /** `danger` for the destructive choice, `primary` for the main one. */
  tone?: 'danger' | 'primary';
  onChoose: () => void;
}

/**
 * A modal confirmation (a native <dialog>: focus stays inside, Escape and the
 * last choice close it). The safe choice (`onDismiss`, data-action `dismiss`)
 * is focused first, so Enter never confirms a destructive action by accident.
 */
export function ConfirmDialog({
  title,
  children,
  choices,
  dismissLabel,
  onDismiss,
  testId = 'confirm-dialog',
}: {
  title: string;
  children?: ComponentChildren;
  choices: DialogChoice[];
  dismissLabel: string;
  onDismiss: () => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (typeof dialog.showModal === 'function' && !dialog.open) {
      try {
        dialog.showModal();
      } catch {
        dialog.setAttribute('open', '');
      }
    } else dialog.setAttribute('open', '');
    safe.current?.focus();
    return () => {
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class="confirm-dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onDismiss();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      <div class="row confirm-actions">
        <button type="button" ref={safe} onClick={onDismiss} data-action="dismiss">
          {dismissLabel}
        </button>
        {choices.map((c) => (
          <button key={c.action} type="button" class={c.tone ?? ''} onClick={c.onChoose} data-action={c.action}>
            {c.label}
          </button>
        ))}
      </div>
    </dialog>
  );
}
