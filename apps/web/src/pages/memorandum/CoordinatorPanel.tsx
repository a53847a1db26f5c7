/** What the coordinator does with a memorandum, by the actions its state allows. */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, type Memorandum, unwrap } from '../../api/client';
import { type ConfirmRequest, useConfirm } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/ui';
import { useOrganisationName, useOrganisations } from '../../data';
import { type Language, useFormat, useT, useTranslateDynamic } from '../../i18n';
import { sha256Hex, useMemorandumAction } from './common';
import { languageList } from './LanguageVersions';
import { DraftForm, type DraftValues, translationsBody, translationsOf } from './DraftForm';
import { PartyStatus } from './NextStep';

type Props = { m: Memorandum };

export function EditDraft({ m }: Props) {
  const t = useT();
  const save = useMemorandumAction(m.id, ({ v, checked }: { v: DraftValues; checked?: Language[] }) =>
    unwrap(
      api.PATCH('/memoranda/{id}', {
        params: { path: { id: m.id }, header: { 'If-Match': `"${m.version}"` } },
        body: {
          title: v.title,
          purpose: v.purpose,
          body: v.body,
          language: v.language,
          translations: translationsBody(v),
          timeZone: v.timeZone || undefined,
          effectiveDate: v.effectiveDate || undefined,
          endDate: v.endDate || undefined,
          orderedReview: v.orderedReview,
          translationsChecked: checked,
        },
      }),
    ),
  );
  // Confirming a translation checked is an edit of its own, with the version read, like a save.
  const check = useMemorandumAction(m.id, (language: Language) =>
    unwrap(
      api.PATCH('/memoranda/{id}', {
        params: { path: { id: m.id }, header: { 'If-Match': `"${m.version}"` } },
        body: { translationsChecked: [language] },
      }),
    ),
  );
  return (
    <section className="card" aria-labelledby="edit">
      <h2 id="edit">{t('draft.edit')}</h2>
      <DraftForm
        key={m.version}
        initial={{
          title: m.title,
          purpose: m.purpose ?? '',
          body: m.body ?? '',
          language: m.language,
          ...translationsOf(m),
          timeZone: m.timeZone ?? '',
          effectiveDate: m.effectiveDate ?? '',
          endDate: m.endDate ?? '',
          orderedReview: m.orderedReview,
        }}
        submitLabel={t('draft.save')}
        pending={save.isPending}
        onSubmit={(v, checked) => save.mutate({ v, checked })}
        stale={m.staleTranslations}
        onTranslationChecked={(l) => check.mutate(l)}
        checkPending={check.isPending}
      >
        <ErrorNotice error={save.error ?? check.error} />
        {(save.isSuccess || check.isSuccess) && (
          <p role="status" className="notice ok">
            {t('common.saved')}
          </p>
        )}
      </DraftForm>
    </section>
  );
}

export function Parties({ m }: Props) {
  const t = useT();
  const td = useTranslateDynamic();
  const orgName = useOrganisationName();
  const orgs = useOrganisations();
  const editable = m.allowedActions.includes('edit');
  const [organisationId, setOrganisationId] = useState('');
  const [role, setRole] = useState<'signatory' | 'observer' | 'witness'>('signatory');
  const [requiredSignatures, setRequired] = useState(1);
  const [signatoryUserIds, setSignatories] = useState<string[]>([]);
  const signatories = useQuery({
    enabled: !!organisationId,
    queryKey: ['users', 'signatories', organisationId],
    queryFn: () =>
      unwrap(api.GET('/users', { params: { query: { organisationId, role: 'signatory', pageSize: 100 } } })),
  });
  const add = useMemorandumAction(m.id, () =>
    unwrap(
      api.POST('/memoranda/{id}/parties', {
        params: { path: { id: m.id } },
        body: {
          organisationId,
          role,
          requiredSignatures: role === 'signatory' ? requiredSignatures : undefined,
          signatoryUserIds: role === 'signatory' && signatoryUserIds.length ? signatoryUserIds : undefined,
        },
      }),
    ).then(() => {
      setOrganisationId('');
      setSignatories([]);
    }),
  );
  const remove = useMemorandumAction(m.id, (organisationId: string) =>
    unwrap(api.DELETE('/memoranda/{id}/parties/{organisationId}', { params: { path: { id: m.id, organisationId } } })),
  );
  const confirm = useConfirm();
  const askRemove = async (organisationId: string) => {
    const name = orgName(organisationId);
    if (
      await confirm.ask({
        title: t('confirm.removePartyTitle', { name }),
        consequence: t('confirm.removeParty', { name }),
        action: t('parties.remove'),
      })
    )
      remove.mutate(organisationId);
  };
  const available = (orgs.data?.items ?? []).filter(
    (o) => o.active && !m.parties.some((p) => p.organisationId === o.id),
  );
  return (
    <section className="card" aria-labelledby="parties">
      <h2 id="parties">{t('parties.title', { count: m.parties.length })}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('parties.order')}</th>
              <th scope="col">{t('parties.organisation')}</th>
              <th scope="col">{t('parties.role')}</th>
              <th scope="col">{t('parties.required')}</th>
              <th scope="col">{t('next.approvalColumn', { number: m.currentRevision?.number ?? 0 })}</th>
              <th scope="col">{t('next.signatureColumn')}</th>
              {editable && <th scope="col">{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {m.parties.map((p) => (
              <tr key={p.organisationId}>
                <td>{p.order}</td>
                <td>{p.organisationName ?? orgName(p.organisationId)}</td>
                <td>{td(`partyRole.${p.role}`, p.role)}</td>
                <td>{p.role === 'signatory' ? p.requiredSignatures : '—'}</td>
                <td>
                  <PartyStatus m={m} organisationId={p.organisationId} role={p.role} kind="approval" />
                </td>
                <td>
                  <PartyStatus m={m} organisationId={p.organisationId} role={p.role} kind="signature" />
                </td>
                {editable && (
                  <td>
                    <button
                      type="button"
                      onClick={() => askRemove(p.organisationId)}
                      aria-label={t('parties.removeNamed', { name: orgName(p.organisationId) })}
                    >
                      {t('parties.remove')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirm.dialog}
      <ErrorNotice error={remove.error} />
      {editable && (
        <form
          className="add-party"
          onSubmit={(e) => {
            e.preventDefault();
            if (organisationId) add.mutate(undefined);
          }}
        >
          <h3>{t('parties.add')}</h3>
          <div className="grid3">
            <Field label={t('parties.organisation')} id="party-org">
              <select id="party-org" value={organisationId} onChange={(e) => setOrganisationId(e.target.value)}>
                <option value="">{t('parties.choose')}</option>
                {available.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.shortName} — {o.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('parties.role')} id="party-role">
              <select id="party-role" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
                {(['signatory', 'observer', 'witness'] as const).map((r) => (
                  <option key={r} value={r}>
                    {td(`partyRole.${r}`, r)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('parties.required')} id="party-required">
              <input
                id="party-required"
                type="number"
                min={1}
                max={20}
                value={requiredSignatures}
                disabled={role !== 'signatory'}
                onChange={(e) => setRequired(Number(e.target.value) || 1)}
              />
            </Field>
          </div>
          {role === 'signatory' && (signatories.data?.items.length ?? 0) > 0 && (
            <fieldset>
              <legend>{t('parties.namedSignatories')}</legend>
              {signatories.data?.items.map((u) => (
                <label key={u.id} className="check">
                  <input
                    type="checkbox"
                    checked={signatoryUserIds.includes(u.id)}
                    onChange={(e) =>
                      setSignatories((s) => (e.target.checked ? [...s, u.id] : s.filter((x) => x !== u.id)))
                    }
                  />{' '}
                  {u.fullName}
                </label>
              ))}
            </fieldset>
          )}
          <ErrorNotice error={add.error} />
          <button type="submit" disabled={!organisationId || add.isPending}>
            {t('parties.addButton')}
          </button>
        </form>
      )}
    </section>
  );
}

/** A button for an action without input, or with a reason / a date. */
function ActionForm({
  m,
  label,
  field,
  run,
  confirm,
  dialog,
}: {
  m: Memorandum;
  label: string;
  field?: { label: string; kind: 'text' | 'date'; required: boolean };
  run: (value: string) => Promise<unknown>;
  /** A warning to confirm before the action runs (the button then says "… anyway"). */
  confirm?: { warning: string; anyway: string };
  /** An action that cannot be undone: confirmed in a dialog stating its consequence. */
  dialog?: ConfirmRequest;
}) {
  const t = useT();
  const [value, setValue] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useMemorandumAction(m.id, run);
  const ask = useConfirm();
  const id = useId();
  return (
    <form
      className="action"
      onSubmit={async (e) => {
        e.preventDefault();
        if (confirm && !confirming) return setConfirming(true);
        setConfirming(false);
        if (dialog && !(await ask.ask(dialog))) return;
        action.mutate(value.trim());
      }}
    >
      {ask.dialog}
      {confirm && confirming && (
        <p className="notice" role="alert">
          {confirm.warning}
        </p>
      )}
      {field && (
        <Field label={field.label} id={id}>
          {field.kind === 'text' ? (
            <textarea id={id} rows={2} maxLength={5000} value={value} onChange={(e) => setValue(e.target.value)} />
          ) : (
            <input id={id} type="date" value={value} onChange={(e) => setValue(e.target.value)} />
          )}
        </Field>
      )}
      <ErrorNotice error={action.error} />
      {action.isSuccess && (
        <p role="status" className="notice ok">
          {t('common.done')}
        </p>
      )}
      <button type="submit" disabled={action.isPending || (!!field?.required && !value.trim())}>
        {confirm && confirming ? confirm.anyway : label}
      </button>
      {confirm && confirming && (
        <button type="button" onClick={() => setConfirming(false)}>
          {t('languages.cancel')}
        </button>
      )}
    </form>
  );
}

export function CoordinatorActions({ m }: Props) {
  const t = useT();
  const a = (x: string) => (m.allowedActions as string[]).includes(x);
  const id = { params: { path: { id: m.id } } };
  return (
    <section className="card actions" aria-labelledby="actions">
      <h2 id="actions">{t('actions.title')}</h2>
      {a('submit') && (
        <ActionForm
          m={m}
          label={t('actions.submit')}
          run={() => unwrap(api.POST('/memoranda/{id}/submit', id))}
          confirm={
            m.staleTranslations.length
              ? {
                  warning: t('languages.submitStale', {
                    languages: languageList(m.staleTranslations),
                    count: m.staleTranslations.length,
                  }),
                  anyway: t('languages.submitAnyway'),
                }
              : undefined
          }
        />
      )}
      {a('open_signing') && <OpenSigning m={m} />}
      {a('sign') && m.status === 'signing' && <CeremonySignature m={m} />}
      {a('amend') && (
        <ActionForm
          m={m}
          label={t('actions.amend')}
          field={{ label: t('actions.reason'), kind: 'text', required: false }}
          run={(reason) =>
            unwrap(api.POST('/memoranda/{id}/amendments', { ...id, body: { reason: reason || undefined } }))
          }
        />
      )}
      {a('renew') && (
        <ActionForm
          m={m}
          label={t('actions.renew')}
          field={{ label: t('actions.newEndDate'), kind: 'date', required: true }}
          run={(endDate) => unwrap(api.POST('/memoranda/{id}/renew', { ...id, body: { endDate } }))}
        />
      )}
      {a('terminate') && <Terminate m={m} />}
      {a('withdraw') && (
        <ActionForm
          m={m}
          label={t('actions.withdraw')}
          field={{ label: t('actions.reason'), kind: 'text', required: true }}
          dialog={{
            title: t('confirm.withdrawTitle'),
            consequence: t('confirm.withdraw'),
            action: t('actions.withdraw'),
          }}
          run={(reason) => unwrap(api.POST('/memoranda/{id}/withdraw', { ...id, body: { reason } }))}
        />
      )}
      {m.allowedActions.length === 0 && <p className="muted">{t('actions.none')}</p>}
    </section>
  );
}

function Terminate({ m }: Props) {
  const t = useT();
  const f = useFormat();
  const [date, setDate] = useState('');
  return (
    <div>
      <Field label={t('actions.terminationDate')} id="term-date" hint={t('actions.terminationDateHint')}>
        <input id="term-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </Field>
      <ActionForm
        m={m}
        label={t('actions.terminate')}
        field={{ label: t('actions.reason'), kind: 'text', required: true }}
        dialog={{
          title: t('confirm.terminateTitle'),
          consequence: date ? t('confirm.terminateOn', { date: f.date(date) }) : t('confirm.terminate'),
          action: t('actions.terminate'),
        }}
        run={(reason) =>
          unwrap(
            api.POST('/memoranda/{id}/terminate', {
              params: { path: { id: m.id } },
              body: { reason, effectiveDate: date || undefined },
            }),
          )
        }
      />
    </div>
  );
}

function OpenSigning({ m }: Props) {
  const t = useT();
  const [mode, setMode] = useState<'parallel' | 'sequential'>('parallel');
  const [date, setDate] = useState('');
  const [place, setPlace] = useState('');
  const open = useMemorandumAction(m.id, () =>
    unwrap(
      api.POST('/memoranda/{id}/open-signing', {
        params: { path: { id: m.id } },
        body: {
          mode,
          ceremony: date && place ? { date: new Date(date).toISOString(), place: place.trim() } : undefined,
        },
      }),
    ),
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        open.mutate(undefined);
      }}
    >
      <h3>{t('signing.open')}</h3>
      <fieldset>
        <legend>{t('signing.mode')}</legend>
        {(['parallel', 'sequential'] as const).map((x) => (
          <label key={x} className="check">
            <input type="radio" name="mode" checked={mode === x} onChange={() => setMode(x)} /> {t(`signing.${x}`)}
          </label>
        ))}
      </fieldset>
      <div className="grid3">
        <Field label={t('signing.ceremonyDate')} id="cer-date">
          <input id="cer-date" type="datetime-local" value={date} onChange={(e) => setDate(e.target.value)} />
        </Field>
        <Field label={t('signing.ceremonyPlace')} id="cer-place">
          <input id="cer-place" value={place} maxLength={500} onChange={(e) => setPlace(e.target.value)} />
        </Field>
      </div>
      <ErrorNotice error={open.error} />
      <button type="submit" className="primary" disabled={open.isPending}>
        {t('signing.open')}
      </button>
    </form>
  );
}

/** The coordinator records a signature given at the ceremony, with a photo or scan as evidence (its SHA-256). */
function CeremonySignature({ m }: Props) {
  const t = useT();
  const orgName = useOrganisationName();
  const signatures = useQuery({
    queryKey: ['memoranda', m.id, 'signatures'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/signatures', { params: { path: { id: m.id } } })),
  });
  const open = (signatures.data?.parties ?? []).filter((p) => !p.complete);
  const [organisationId, setOrg] = useState('');
  const [signerName, setSigner] = useState('');
  const [signedAt, setSignedAt] = useState('');
  const [place, setPlace] = useState(m.ceremony?.place ?? '');
  const [witnesses, setWitnesses] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const record = useMemorandumAction(m.id, async () => {
    const sha256 = file ? await sha256Hex(file) : '';
    const reference = [file?.name, witnesses.trim() && `${t('ceremony.witnesses')}: ${witnesses.trim()}`]
      .filter(Boolean)
      .join(' — ');
    return unwrap(
      api.POST('/memoranda/{id}/signatures', {
        params: { path: { id: m.id } },
        body: {
          method: 'in_person',
          revisionHash: m.currentRevision?.hash ?? '',
          organisationId,
          signerName: signerName.trim(),
          signedAt: new Date(signedAt).toISOString(),
          place: place.trim(),
          evidence: { reference: reference.slice(0, 500), sha256 },
        },
      }),
    ).then(() => {
      setOrg('');
      setSigner('');
      setFile(null);
    });
  });
  return (
    <form
      className="ceremony"
      onSubmit={(e) => {
        e.preventDefault();
        record.mutate(undefined);
      }}
    >
      <h3>{t('ceremony.title')}</h3>
      <p className="muted small">{t('ceremony.intro')}</p>
      <div className="grid3">
        <Field label={t('ceremony.party')} id="cer-org">
          <select id="cer-org" value={organisationId} onChange={(e) => setOrg(e.target.value)}>
            <option value="">{t('parties.choose')}</option>
            {open.map((p) => (
              <option key={p.organisationId} value={p.organisationId}>
                {orgName(p.organisationId)} ({p.signed}/{p.requiredSignatures})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('ceremony.signer')} id="cer-signer">
          <input id="cer-signer" value={signerName} maxLength={200} onChange={(e) => setSigner(e.target.value)} />
        </Field>
        <Field label={t('ceremony.signedAt')} id="cer-at">
          <input id="cer-at" type="datetime-local" value={signedAt} onChange={(e) => setSignedAt(e.target.value)} />
        </Field>
        <Field label={t('ceremony.place')} id="cer-where">
          <input id="cer-where" value={place} maxLength={500} onChange={(e) => setPlace(e.target.value)} />
        </Field>
        <Field label={t('ceremony.witnesses')} id="cer-witnesses">
          <input id="cer-witnesses" value={witnesses} maxLength={300} onChange={(e) => setWitnesses(e.target.value)} />
        </Field>
        <Field label={t('ceremony.evidence')} id="cer-file" hint={t('ceremony.evidenceHint')}>
          <input
            id="cer-file"
            type="file"
            accept="image/*,application/pdf"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </Field>
      </div>
      <ErrorNotice error={record.error} />
      <button
        type="submit"
        className="primary"
        disabled={!organisationId || !signerName.trim() || !signedAt || !place.trim() || !file || record.isPending}
      >
        {t('ceremony.record')}
      </button>
    </form>
  );
}
