/**
 * Verify an evidence PDF — public, no sign-in: the chosen file is POSTed as the raw body to
 * POST /evidence/verify, and the verdict of each check is shown in the user's language (what the
 * check means and whether it passed; the verifier's own note, in English, folded away), with the
 * memorandum by its title, and what the server's records say of the file: issued here (when, from
 * which history head, whether the history still holds it) or not. Signed in with access to the
 * memorandum, also its current head and to whom the file was issued.
 */
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiFailure, CSRF_COOKIE, readCookie, type Schemas } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { Hash } from '../components/ui';
import { useFormat, useT, useTranslateDynamic } from '../i18n';

type Verdict = Schemas['EvidenceVerdict'];
type RecordAnswer = Schemas['EvidenceRecord'];
/** The upload limit of POST /evidence/verify: checked here first so a huge file is not sent at all. */
const LIMIT = 20 * 1024 * 1024;

async function verify(file: File): Promise<Verdict> {
  if (file.size > LIMIT)
    throw new ApiFailure(413, { statusCode: 413, code: 'evidence_too_large', message: 'too large' });
  const headers: Record<string, string> = { 'Content-Type': 'application/pdf' };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch('/evidence/verify', { method: 'POST', body: file, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, { statusCode: 0, code: 'network_error', message: 'network' });
  }
  const body = await res.json().catch(() => null);
  if (!res.ok)
    throw new ApiFailure(
      res.status,
      body && typeof body === 'object' && 'code' in body
        ? res.status === 413
          ? { ...body, code: 'evidence_too_large' }
          : body
        : { statusCode: res.status, code: `http_${res.status}`, message: res.statusText },
    );
  return body as Verdict;
}

/** What this server's records say of the file. */
function ServerRecord({ record }: { record: RecordAnswer }) {
  const t = useT();
  const f = useFormat();
  const details = record.memorandum;
  return (
    <section aria-labelledby="server-record" className="server-record" data-issued={record.issued}>
      <h3 id="server-record">{t('verify.recordTitle')}</h3>
      {!record.issued ? (
        <>
          <p className="verdict bad" data-record="not-issued">
            <strong>{t('verify.notIssuedHere')}</strong>
          </p>
          <p className="small">{t('verify.notIssuedMeans')}</p>
        </>
      ) : (
        <>
          <p className="verdict ok" data-record="issued">
            <strong>{t('verify.issuedHere', { date: f.dateTime(record.issuedAt) })}</strong>
          </p>
          <dl className="facts">
            <dt>{t('verify.issuedFromHead')}</dt>
            <dd>
              {record.headSeq}: <Hash value={record.headHash} short={false} />
            </dd>
          </dl>
          {record.laterUpdates && <p className="small">{t('verify.laterUpdates')}</p>}
          {record.historyHoldsHead ? (
            <p className="small" data-history="holds">
              {t('verify.historyHolds')}
            </p>
          ) : (
            <p className="field-error" role="alert" data-history="broken">
              {t('verify.historyBroken')}
            </p>
          )}
          {details ? (
            <>
              <p className="small" data-events-since={details.eventsSince}>
                {t('verify.eventsSince', { count: details.eventsSince })}
              </p>
              <dl className="facts">
                <dt>{t('verify.currentHead')}</dt>
                <dd>
                  {details.currentHeadSeq}: <Hash value={details.currentHeadHash} short={false} />
                </dd>
                <dt>{t('verify.issues', { count: details.issueCount })}</dt>
                <dd>
                  <ul className="plain">
                    {details.issues.map((i) => (
                      <li key={`${i.issuedAt}-${i.issuedTo}`}>
                        {f.dateTime(i.issuedAt)} — {i.issuedTo}
                      </li>
                    ))}
                  </ul>
                </dd>
              </dl>
              {details.historyProblem && (
                <details className="small">
                  <summary>{t('verify.technicalDetail')}</summary>
                  <p className="muted detail" lang="en">
                    {details.historyProblem}
                  </p>
                </details>
              )}
            </>
          ) : (
            <p className="muted small">{t('verify.recordMembersOnly')}</p>
          )}
        </>
      )}
    </section>
  );
}

export function VerifyEvidencePage() {
  const t = useT();
  const td = useTranslateDynamic();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const run = useMutation({ mutationFn: verify });
  const verdict = run.data;
  return (
    <main id="main" className="public-page">
      <div className="row between">
        <Link to="/" className="brand">
          Kelisim
        </Link>
        <LanguageSwitcher />
      </div>
      <h1>{t('verify.title')}</h1>
      <p className="muted">{t('verify.intro')}</p>
      <form
        className="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return setMissing(true);
          run.mutate(file);
        }}
      >
        <div className="field">
          <label htmlFor="evidence-file">{t('verify.file')}</label>
          <input
            id="evidence-file"
            type="file"
            accept="application/pdf,.pdf"
            aria-describedby={`evidence-file-hint${missing ? ' evidence-file-error' : ''}`}
            aria-invalid={missing ? true : undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setMissing(false);
              run.reset();
            }}
          />
          <p className="muted small" id="evidence-file-hint">
            {t('verify.fileHint')}
          </p>
          {missing && (
            <p className="field-error" id="evidence-file-error" role="alert">
              {t('verify.chooseFile')}
            </p>
          )}
        </div>
        <button type="submit" className="primary" disabled={run.isPending}>
          {run.isPending ? t('verify.checking') : t('verify.submit')}
        </button>
      </form>
      <ErrorNotice error={run.error} />
      {verdict && (
        <section aria-labelledby="verdict" className="card" data-valid={verdict.valid}>
          <h2 id="verdict" className={verdict.valid ? 'verdict ok' : 'verdict bad'} role="status">
            {verdict.valid
              ? t('verify.valid')
              : verdict.status === 'invalid'
                ? t('verify.invalid')
                : t('verify.notProven')}
          </h2>
          <p>
            {verdict.valid
              ? t('verify.validMeans')
              : verdict.status === 'invalid'
                ? t('verify.invalidMeans')
                : t('verify.notProvenMeans')}
          </p>
          <ul className="checks">
            {verdict.checks.map((c) => (
              <li key={c.name} className={c.ok ? 'check-ok' : 'check-fail'} data-check={c.name}>
                <span className="check-mark" aria-hidden="true">
                  {c.ok ? '✓' : '✗'}
                </span>
                <div>
                  <strong>{td(`verify.check_${c.name}`, c.name)}</strong>{' '}
                  <span className="badge">{c.ok ? t('verify.passed') : t('verify.failed')}</span>
                  <p className="small">
                    {t('verify.whatItChecks')} {td(`verify.explain_${c.name}`, '')}
                  </p>
                  <details className="small">
                    <summary>{t('verify.technicalDetail')}</summary>
                    <p className="muted detail" lang="en">
                      {c.detail}
                    </p>
                  </details>
                </div>
              </li>
            ))}
          </ul>
          {verdict.memorandumId && (
            <dl className="facts">
              <dt>{t('verify.memorandum')}</dt>
              <dd>
                {verdict.title && (
                  <strong className="memorandum-title" data-title>
                    {verdict.title}
                  </strong>
                )}
                {verdict.title && <br />}
                <code>{verdict.memorandumId}</code>
              </dd>
              <dt>{t('verify.revisionHash')}</dt>
              <dd>
                <Hash value={verdict.revisionHash} short={false} />
              </dd>
              <dt>{t('verify.headHash')}</dt>
              <dd>
                <Hash value={verdict.headHash} short={false} />
              </dd>
            </dl>
          )}
          <p className="muted small">{t('verify.compare')}</p>
          <ServerRecord record={verdict.record} />
        </section>
      )}
    </main>
  );
}
