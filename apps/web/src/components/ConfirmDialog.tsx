/**
 * One confirmation before an action that cannot be undone (withdraw, decline, sign, terminate, remove a party,
 * deactivate, revoke, change roles): a native modal <dialog> naming the action and stating its consequence. The rest
 * of the page is inert while it is open (focus stays inside), Escape or "Cancel" cancels, the safe choice has the
 * focus first, and the focus returns to the button that asked.
 *
 *   const confirm = useConfirm();
 *   …onClick={async () => (await confirm.ask({ title, consequence, action })) && run()}
 *   {confirm.dialog}
 */
import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n';

export interface ConfirmRequest {
  /** What is about to happen, as a question: "Withdraw the memorandum?" */
  title: string;
  /** What follows from it, in plain words. */
  consequence: ReactNode;
  /** The confirming button's label: the action's own verb ("Withdraw"). */
  action: string;
}

export function ConfirmDialog({
  title,
  consequence,
  action,
  onClose,
}: ConfirmRequest & { onClose(ok: boolean): void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    opener.current = document.activeElement;
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    cancel.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
  }, []);
  const close = (ok: boolean) => {
    ref.current?.close();
    onClose(ok);
  };
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-consequence`}
      onCancel={(e) => {
        // Escape: cancelled, the same as the Cancel button.
        e.preventDefault();
        close(false);
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-consequence`}>{typeof consequence === 'string' ? <p>{consequence}</p> : consequence}</div>
      <div className="row">
        <button type="button" ref={cancel} onClick={() => close(false)}>
          {t('confirm.cancel')}
        </button>
        <button type="button" className="danger" onClick={() => close(true)}>
          {action}
        </button>
      </div>
    </dialog>
  );
}

/** `ask` opens the dialog and answers whether the user confirmed; render `dialog` somewhere in the component. */
export function useConfirm() {
  const [request, setRequest] = useState<(ConfirmRequest & { resolve(ok: boolean): void }) | null>(null);
  const ask = useCallback((r: ConfirmRequest) => new Promise<boolean>((resolve) => setRequest({ ...r, resolve })), []);
  const dialog = request ? (
    <ConfirmDialog
      title={request.title}
      consequence={request.consequence}
      action={request.action}
      onClose={(ok) => {
        setRequest(null);
        request.resolve(ok);
      }}
    />
  ) : null;
  return { ask, dialog };
}
