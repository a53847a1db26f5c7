/**
 * Filing an activity report with evidence files (multipart): the files are checked here against
 * the server's default limits before anything is sent (size, type, count), and each file's SHA-256
 * is declared so the server verifies the bytes it stored.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, ApiFailure, type Memorandum, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/ui';
import { useFormat, useLocale, useT } from '../../i18n';
import { sha256Hex } from '../memorandum/common';
import {
  checkEvidence,
  type Commitment,
  EVIDENCE_ACCEPT,
  EVIDENCE_MAX_BYTES,
  EVIDENCE_MAX_FILES,
  formatBytes,
  todayIn,
} from './common';

/**
 * `onComplete`, when the reporter may mark dates completed: after a report for a date still open,
 * the form offers to mark that date completed — one more click, never on its own.
 */
export function ReportForm({
  c,
  m,
  onComplete,
}: {
  c: Commitment;
  m: Memorandum;
  onComplete?: (occurrenceDate: string) => Promise<unknown>;
}) {
  const t = useT();
  const f = useFormat();
  const { language, timeZone } = useLocale();
  const qc = useQueryClient();
  const base = useId();
  const open = c.occurrences.filter((o) => ['planned', 'in_progress', 'overdue'].includes(o.status));
  const [occurrenceDate, setOccurrenceDate] = useState(open[0]?.date ?? '');
  const [date, setDate] = useState(todayIn(timeZone));
  const [summary, setSummary] = useState('');
  const [participants, setParticipants] = useState('');
  const [outcome, setOutcome] = useState('');
  const [links, setLinks] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileInputKey, setFileInputKey] = useState(0);
  /** The open date just reported on, offered to be marked completed. */
  const [offer, setOffer] = useState<string | null>(null);
  const [completing, setCompleting] = useState<'no' | 'pending' | 'done'>('no');
  const problems = checkEvidence(files);
  const maxSize = formatBytes(EVIDENCE_MAX_BYTES, language);
  const file = useMutation({
    mutationFn: async () => {
      const report = {
        date,
        summary: summary.trim(),
        participants: participants === '' ? undefined : Number(participants),
        outcome: outcome.trim() || undefined,
        links: links
          .split(/\s+/)
          .map((l) => l.trim())
          .filter(Boolean),
        occurrenceDate: occurrenceDate || undefined,
        sha256: await Promise.all(files.map((x) => sha256Hex(x))),
      };
      const form = new FormData();
      form.append('report', JSON.stringify(report));
      for (const x of files) form.append('files', x, x.name);
      return unwrap(
        api.POST('/commitments/{id}/reports', {
          params: { path: { id: c.id } },
          body: { report: JSON.stringify(report) },
          bodySerializer: () => form,
        }),
      );
    },
    onSuccess: () => {
      setOffer(onComplete && open.some((o) => o.date === occurrenceDate) ? occurrenceDate : null);
      setCompleting('no');
      setSummary('');
      setParticipants('');
      setOutcome('');
      setLinks('');
      setFiles([]);
      setFileInputKey((k) => k + 1);
    },
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: ['memoranda', m.id] });
      await qc.invalidateQueries({ queryKey: ['commitments', c.id] });
      await qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
  const uploadRefusal =
    file.error instanceof ApiFailure && (file.error.status === 413 || file.error.status === 415) ? file.error : null;
  const totalSize = files.reduce((n, x) => n + x.size, 0);
  return (
    <details className="report-form">
      <summary>{t('followup.fileReport')}</summary>
      <p className="muted small">{t('followLoop.reportIntro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!problems.length) file.mutate();
        }}
      >
        {c.occurrences.length > 0 && (
          <Field label={t('followup.reportFor')} id={`${base}-for`}>
            <select id={`${base}-for`} value={occurrenceDate} onChange={(e) => setOccurrenceDate(e.target.value)}>
              <option value="">{t('followup.wholeCommitment')}</option>
              {c.occurrences.map((o) => (
                <option key={o.id} value={o.date}>
                  {f.date(o.date)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <div className="grid3">
          <Field label={t('followup.reportDate')} id={`${base}-date`}>
            <input id={`${base}-date`} type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
          </Field>
          <Field label={t('followup.participants')} id={`${base}-participants`}>
            <input
              id={`${base}-participants`}
              type="number"
              min={0}
              max={10000000}
              value={participants}
              onChange={(e) => setParticipants(e.target.value)}
            />
          </Field>
        </div>
        <Field label={t('followup.summary')} id={`${base}-summary`}>
          <textarea
            id={`${base}-summary`}
            rows={3}
            required
            maxLength={20000}
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
          />
        </Field>
        <Field label={t('followup.outcome')} id={`${base}-outcome`}>
          <textarea
            id={`${base}-outcome`}
            rows={2}
            maxLength={20000}
            value={outcome}
            onChange={(e) => setOutcome(e.target.value)}
          />
        </Field>
        <Field label={t('followup.links')} id={`${base}-links`}>
          <textarea id={`${base}-links`} rows={2} value={links} onChange={(e) => setLinks(e.target.value)} />
        </Field>
        <Field
          label={t('followup.files')}
          id={`${base}-files`}
          hint={t('followup.filesHint', { size: maxSize, max: EVIDENCE_MAX_FILES })}
        >
          <input
            key={fileInputKey}
            id={`${base}-files`}
            type="file"
            multiple
            accept={EVIDENCE_ACCEPT}
            aria-describedby={`${base}-files-hint`}
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
        </Field>
        {files.length > 0 && (
          <p className="small" role="status">
            {t('followup.chosenFiles', { count: files.length, size: formatBytes(totalSize, language) })}
          </p>
        )}
        {problems.length > 0 && (
          <ul className="notice error file-problems" role="alert" data-code="file_check">
            {problems.map((p, i) => (
              <li key={i}>
                {p.kind === 'count'
                  ? t('followup.tooManyFiles', { max: EVIDENCE_MAX_FILES })
                  : p.kind === 'size'
                    ? t('followup.fileTooLarge', { name: p.name, size: maxSize })
                    : t('followup.fileTypeNotAllowed', { name: p.name, type: p.type })}
              </li>
            ))}
          </ul>
        )}
        {uploadRefusal ? (
          <div role="alert" className="notice error" data-code={`upload_${uploadRefusal.status}`}>
            <p>
              <strong>{t(uploadRefusal.status === 413 ? 'followup.upload413' : 'followup.upload415')}</strong>{' '}
              {t('followup.uploadNext')}
            </p>
            <ul>
              {(uploadRefusal.body.errors ?? []).map((e) => (
                <li key={e.field}>
                  <code>{e.field}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorNotice error={file.error} />
        )}
        {file.isSuccess && (
          <div role="status" className="notice ok" data-report-filed>
            <p>{t('followup.reportFiled')}</p>
            {offer && completing !== 'done' && (
              <>
                <p>{t('followLoop.offerComplete', { date: f.date(offer) })}</p>
                <div className="inline-actions">
                  <button
                    type="button"
                    className="primary"
                    disabled={completing === 'pending'}
                    onClick={() => {
                      setCompleting('pending');
                      onComplete!(offer).then(
                        () => setCompleting('done'),
                        () => setCompleting('no'),
                      );
                    }}
                  >
                    {t('followup.completeDate', { date: f.date(offer) })}
                  </button>
                  <button type="button" onClick={() => setOffer(null)}>
                    {t('followLoop.notNow')}
                  </button>
                </div>
              </>
            )}
            {completing === 'done' && offer && <p>{t('followLoop.dateCompleted', { date: f.date(offer) })}</p>}
          </div>
        )}
        <button type="submit" className="primary" disabled={file.isPending || !summary.trim() || problems.length > 0}>
          {t('followup.submitReport')}
        </button>
      </form>
    </details>
  );
}
