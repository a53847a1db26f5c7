/**
 * Notification settings (GET/PUT /me/notification-preferences, docs/notifications.md): in-app
 * notices always arrive; e-mail for each notice, in a daily digest at a chosen local hour, or not
 * at all, and per kind.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field, Loading } from '../components/ui';
import { useT } from '../i18n';

type Topic = Schemas['NotificationPreferences']['mutedTopics'][number];
type EmailMode = Schemas['NotificationPreferences']['emailMode'];
const MODES: EmailMode[] = ['each', 'digest', 'off'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
/** The kinds of notice, in the order of a memorandum's life (docs/notifications.md). */
const TOPICS: Topic[] = [
  'review_requested',
  'review_for_information',
  'changes_requested',
  'party_declined',
  'memorandum_approved',
  'signature_requested',
  'memorandum_executed',
  'memorandum_amended',
  'memorandum_activated',
  'memorandum_renewed',
  'memorandum_terminated',
  'memorandum_expired',
  'report_filed',
  'overdue_notice',
];
const KEY = ['me', 'notification-preferences'];

export function NotificationPreferencesPage() {
  const t = useT();
  const qc = useQueryClient();
  const base = useId();
  const prefs = useQuery({ queryKey: KEY, queryFn: () => unwrap(api.GET('/me/notification-preferences')) });
  const [mode, setMode] = useState<EmailMode>('each');
  const [digestHour, setDigestHour] = useState(9);
  const [muted, setMuted] = useState<Topic[]>([]);
  useEffect(() => {
    if (prefs.data) {
      setMode(prefs.data.emailMode);
      setDigestHour(prefs.data.digestHour);
      setMuted(prefs.data.mutedTopics);
    }
  }, [prefs.data]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.PUT('/me/notification-preferences', { body: { emailMode: mode, digestHour, mutedTopics: muted } })),
    onSuccess: (saved) => qc.setQueryData(KEY, saved),
  });
  return (
    <>
      <h1>{t('notificationPrefs.title')}</h1>
      <p className="muted">{t('notificationPrefs.intro')}</p>
      {prefs.isPending && <Loading />}
      <ErrorNotice error={prefs.error} />
      {prefs.data && (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <fieldset>
            <legend>{t('notificationPrefs.emailMode')}</legend>
            {MODES.map((m) => (
              <label key={m} className="check">
                <input
                  type="radio"
                  name={`${base}-mode`}
                  value={m}
                  checked={mode === m}
                  onChange={() => {
                    setMode(m);
                    save.reset();
                  }}
                />{' '}
                {t(`notificationPrefs.mode_${m}`)}
              </label>
            ))}
            {mode === 'digest' && (
              <Field
                label={t('notificationPrefs.digestHour')}
                id={`${base}-hour`}
                hint={t('notificationPrefs.digestHint')}
              >
                <select
                  id={`${base}-hour`}
                  value={digestHour}
                  aria-describedby={`${base}-hour-hint`}
                  onChange={(e) => {
                    setDigestHour(Number(e.target.value));
                    save.reset();
                  }}
                >
                  {HOURS.map((h) => (
                    <option key={h} value={h}>
                      {`${String(h).padStart(2, '0')}:00`}
                    </option>
                  ))}
                </select>
              </Field>
            )}
          </fieldset>
          <fieldset disabled={mode === 'off'} aria-describedby={`${base}-hint`}>
            <legend>{t('notificationPrefs.topics')}</legend>
            <p id={`${base}-hint`} className="muted small">
              {t('notificationPrefs.topicsHint')}
            </p>
            {TOPICS.map((topic) => (
              <label key={topic} className="check" data-topic={topic}>
                <input
                  type="checkbox"
                  checked={!muted.includes(topic)}
                  onChange={(e) => {
                    setMuted((m) => (e.target.checked ? m.filter((x) => x !== topic) : [...m, topic]));
                    save.reset();
                  }}
                />{' '}
                {t(`notificationPrefs.topic_${topic}`)}
              </label>
            ))}
          </fieldset>
          <ErrorNotice error={save.error} />
          {save.isSuccess && (
            <p role="status" className="notice ok">
              {t('notificationPrefs.saved')}
            </p>
          )}
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('notificationPrefs.save')}
          </button>
        </form>
      )}
    </>
  );
}
