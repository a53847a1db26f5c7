/**
 * Notification settings (GET/PUT /me/notification-preferences, docs/notifications.md): in-app
 * notices always arrive; e-mail on or off, and per kind. The API offers no daily digest (nor does
 * the worker send one), so none is offered here: the page says so.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/ui';
import { useT } from '../i18n';

type Topic = Schemas['NotificationPreferences']['mutedTopics'][number];
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
  const [email, setEmail] = useState(true);
  const [muted, setMuted] = useState<Topic[]>([]);
  useEffect(() => {
    if (prefs.data) {
      setEmail(prefs.data.email);
      setMuted(prefs.data.mutedTopics);
    }
  }, [prefs.data]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/me/notification-preferences', { body: { email, mutedTopics: muted } })),
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
          <label className="check">
            <input
              type="checkbox"
              checked={email}
              onChange={(e) => {
                setEmail(e.target.checked);
                save.reset();
              }}
            />{' '}
            {t('notificationPrefs.email')}
          </label>
          <fieldset disabled={!email} aria-describedby={`${base}-hint`}>
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
          <p className="muted small">{t('notificationPrefs.noDigest')}</p>
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
