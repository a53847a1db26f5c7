/** Small shared pieces: status badge, hash, pager, field wrapper, loading. */
import type { ReactNode } from 'react';
import type { MemorandumStatus } from '../api/client';
import { useT, useTranslateDynamic } from '../i18n';

export function StatusBadge({ status }: { status: MemorandumStatus | string }) {
  const td = useTranslateDynamic();
  return <span className={`badge status-${status}`}>{td(`status.${status}`, status)}</span>;
}

export function Hash({ value, short = true }: { value: string | null | undefined; short?: boolean }) {
  if (!value) return <span>—</span>;
  return (
    <code className="hash" title={value}>
      {short ? `${value.slice(0, 12)}…` : value}
    </code>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p role="status" aria-live="polite" className="muted">
      {t('common.loading')}
    </p>
  );
}

export function Field({
  label,
  id,
  error,
  hint,
  children,
}: {
  label: string;
  id: string;
  error?: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="muted small" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (p: number) => void;
}) {
  const t = useT();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t('common.pagination')}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('common.previous')}
      </button>
      <span>{t('common.pageOf', { page, pages, total })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('common.next')}
      </button>
    </nav>
  );
}

/** What zod's messages become on screen: a catalogue key. */
export function useFieldError() {
  const td = useTranslateDynamic();
  return (message: string | undefined) => (message ? td(`validation.${message}`, message) : undefined);
}
