/**
 * A refusal of the API in the user's language: what happened and what to do next. Known codes
 * have their own message (errors.<code>); others fall back to the status. Each refused field
 * (`errors[]`) is named in the user's language, its message translated when known (fieldErrors.ts).
 */
import type { ReactNode } from 'react';
import { ApiFailure } from '../api/client';
import { useT, useTranslateDynamic } from '../i18n';
import { useFieldErrorText } from './fieldErrors';

export function ErrorNotice({ error, children }: { error: unknown; children?: ReactNode }) {
  const t = useT();
  const td = useTranslateDynamic();
  const fieldText = useFieldErrorText();
  if (!error) return null;
  const failure = error instanceof ApiFailure ? error : null;
  const code = failure?.code ?? 'network_error';
  const status = failure?.status ?? 0;
  const byStatus = td(`errors.status_${status}`, t('errors.unknown'));
  const what = td(`errors.${code}`, byStatus);
  const next = td(`errors.next_${code}`, td(`errors.next_status_${status}`, t('errors.next_default')));
  const fields = failure?.body.errors ?? [];
  return (
    <div role="alert" className="notice error" data-code={code}>
      <p>
        <strong>{what}</strong> {next}
      </p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f, i) => {
            const { label, message, known } = fieldText(f);
            return (
              <li key={`${f.field}-${i}`} data-field={f.field}>
                <strong>{label}</strong>: <span lang={known ? undefined : 'en'}>{message}</span>
              </li>
            );
          })}
        </ul>
      )}
      {children}
      {failure?.body.requestId && (
        <p className="muted small">{t('errors.requestId', { id: failure.body.requestId })}</p>
      )}
    </div>
  );
}
