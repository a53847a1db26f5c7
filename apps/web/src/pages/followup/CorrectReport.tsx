/**
 * The coordinator corrects an activity report (PATCH /reports/{id}, with the version read and a
 * reason); the history keeps the report as it was and as corrected.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, ApiFailure, type Memorandum, type Schemas, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { fieldName, useFieldErrorText } from '../../components/fieldErrors';
import { Field } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useFormat, useT } from '../../i18n';
import type { ActivityReport } from './common';

export function CorrectReport({ m, r }: { m: Memorandum; r: ActivityReport }) {
  const t = useT();
  const f = useFormat();
  const orgName = useOrganisationName();
  const fieldText = useFieldErrorText();
  const qc = useQueryClient();
  const base = useId();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(r.date);
  const [summary, setSummary] = useState(r.summary);
  const [participants, setParticipants] = useState(r.participants == null ? '' : String(r.participants));
  const [outcome, setOutcome] = useState(r.outcome ?? '');
  const [links, setLinks] = useState(r.links.join('\n'));
  const [reason, setReason] = useState('');
  const correct = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/reports/{id}', {
          params: { path: { id: r.id } },
          body: {
            version: r.version,
            reason: reason.trim(),
            date,
            summary: summary.trim(),
            participants: participants === '' ? null : Number(participants),
            outcome: outcome.trim() || null,
            links: links
              .split(/\s+/)
              .map((l) => l.trim())
              .filter(Boolean),
          } as unknown as Schemas['CorrectReportDto'],
        }),
      ),
    onSuccess: () => {
      setOpen(false);
      setReason('');
    },
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: ['memoranda', m.id] });
      await qc.invalidateQueries({ queryKey: ['commitments', r.commitmentId] });
    },
  });
  const refused: Record<string, string> = {};
  if (correct.error instanceof ApiFailure)
    for (const e of correct.error.body.errors ?? []) refused[fieldName(e.field)] ??= fieldText(e).message;
  const label = t('amend.correctLabel', { organisation: orgName(r.organisationId), date: f.date(r.date) });
  return (
    <div className="correct-report">
      <button type="button" aria-expanded={open} aria-label={label} onClick={() => setOpen((o) => !o)}>
        {open ? t('amend.close') : t('amend.correct')}
      </button>
      {correct.isSuccess && !open && (
        <p role="status" className="notice ok">
          {t('amend.corrected')}
        </p>
      )}
      {open && (
        <form
          aria-label={label}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim() && summary.trim()) correct.mutate();
          }}
        >
          <div className="grid3">
            <Field label={t('followup.reportDate')} id={`${base}-date`} error={refused.date}>
              <input id={`${base}-date`} type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
            </Field>
            <Field label={t('followup.participants')} id={`${base}-participants`} error={refused.participants}>
              <input
                id={`${base}-participants`}
                type="number"
                min={0}
                value={participants}
                onChange={(e) => setParticipants(e.target.value)}
              />
            </Field>
          </div>
          <Field label={t('followup.summary')} id={`${base}-summary`} error={refused.summary}>
            <textarea
              id={`${base}-summary`}
              rows={3}
              required
              maxLength={20000}
              value={summary}
              onChange={(e) => setSummary(e.target.value)}
            />
          </Field>
          <Field label={t('followup.outcome')} id={`${base}-outcome`} error={refused.outcome}>
            <textarea
              id={`${base}-outcome`}
              rows={2}
              maxLength={20000}
              value={outcome}
              onChange={(e) => setOutcome(e.target.value)}
            />
          </Field>
          <Field label={t('followup.links')} id={`${base}-links`} error={refused.links}>
            <textarea id={`${base}-links`} rows={2} value={links} onChange={(e) => setLinks(e.target.value)} />
          </Field>
          <Field label={t('amend.reason')} id={`${base}-reason`} error={refused.reason}>
            <input
              id={`${base}-reason`}
              required
              aria-required="true"
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </Field>
          <ErrorNotice error={correct.error} />
          <button type="submit" className="primary" disabled={correct.isPending || !reason.trim() || !summary.trim()}>
            {t('amend.correct')}
          </button>
        </form>
      )}
    </div>
  );
}
