/**
 * The text commitments an open amendment proposes (GET /memoranda/{id}/amendment/commitments), each
 * marked added, changed, unchanged or removed. While the amendment is a draft the coordinator adds
 * (POST /memoranda/{id}/commitments), changes (PATCH /commitments/{key}) and removes
 * (DELETE /commitments/{key}) them; once it is submitted the list is read-only.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { api, type Memorandum, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useFormat, useT } from '../../i18n';
import { CommitmentEditor, type CommitmentTerms, createBody, patchBody } from './CommitmentEditor';
import type { Commitment } from './common';
import { RuleWords } from './RuleWords';

export function useAmendmentCommitments(m: Memorandum) {
  return useQuery({
    enabled: m.status === 'active' && m.amendmentStatus != null,
    queryKey: ['memoranda', m.id, 'amendment-commitments'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/amendment/commitments', { params: { path: { id: m.id } } })),
  });
}

function useProposalChange<V>(m: Memorandum, call: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: ['memoranda', m.id] });
    },
  });
}

export function AmendmentProposal({ m, isCoordinator }: { m: Memorandum; isCoordinator: boolean }) {
  const t = useT();
  const proposal = useAmendmentCommitments(m);
  const [removed, setRemoved] = useState<string | null>(null);
  const add = useProposalChange(m, (terms: CommitmentTerms) =>
    unwrap(
      api.POST('/memoranda/{id}/commitments', {
        params: { path: { id: m.id } },
        body: createBody(terms, 'text'),
      }),
    ),
  );
  const [addKey, setAddKey] = useState(0);
  if (proposal.isPending) return <Loading />;
  if (proposal.error) return <ErrorNotice error={proposal.error} />;
  const { items, frozen, revisionNumber } = proposal.data;
  const editable = isCoordinator && !frozen;
  const count = (change: string) => items.filter((c) => c.amendment?.change === change).length;
  return (
    <section className="card amendment-proposal" aria-labelledby="amend-proposal" data-frozen={frozen}>
      <h2 id="amend-proposal">{t('amend.proposalTitle', { revision: revisionNumber })}</h2>
      <p className={frozen ? 'notice' : 'muted'}>{frozen ? t('amend.frozenIntro') : t('amend.proposalIntro')}</p>
      <p className="meta" data-testid="proposal-summary">
        {[
          t('amend.proposalCount', { count: items.length - count('removed') }),
          ...(['added', 'changed', 'removed', 'unchanged'] as const)
            .filter((change) => count(change) > 0)
            .map((change) => t(`amend.count_${change}`, { count: count(change) })),
        ].join(' · ')}
      </p>
      {removed && (
        <p role="status" className="notice ok">
          {t('amend.removed', { title: removed })}
        </p>
      )}
      <ul className="list proposal">
        {items.map((c) => (
          <ProposedCommitment key={c.id} m={m} c={c} editable={editable} onRemoved={setRemoved} />
        ))}
      </ul>
      {editable && (
        <details className="add-text">
          <summary>{t('amend.addText')}</summary>
          <CommitmentEditor
            key={addKey}
            m={m}
            withClause
            submitLabel={t('amend.addText')}
            pending={add.isPending}
            error={add.error}
            done={add.isSuccess ? t('amend.addedText') : null}
            onSubmit={(terms) => add.mutate(terms, { onSuccess: () => setAddKey((k) => k + 1) })}
          />
        </details>
      )}
    </section>
  );
}

function ProposedCommitment({
  m,
  c,
  editable,
  onRemoved,
}: {
  m: Memorandum;
  c: Commitment;
  editable: boolean;
  onRemoved(title: string): void;
}) {
  const t = useT();
  const f = useFormat();
  const orgName = useOrganisationName();
  const headingId = useId();
  const change = c.amendment?.change ?? 'unchanged';
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const [confirming, setConfirming] = useState(false);
  const save = useProposalChange(m, (terms: CommitmentTerms) =>
    unwrap(
      api.PATCH('/commitments/{id}', {
        params: { path: { id: c.id } },
        body: patchBody(c.version, terms, true),
      }),
    ),
  );
  const remove = useProposalChange(m, () =>
    unwrap(api.DELETE('/commitments/{id}', { params: { path: { id: c.id } } })),
  );
  const others = c.organisationIds.filter((o) => o !== c.leadOrganisationId);
  return (
    <li className={`proposed change-${change}`} data-commitment={c.id} data-change={change}>
      <h3 id={headingId} className="h4">
        <span className={`badge change-badge change-${change}`}>{t(`amend.change_${change}`)}</span>{' '}
        {change === 'removed' ? <del>{c.title}</del> : c.title}
      </h3>
      <dl className="facts">
        {c.clauseRef && (
          <>
            <dt>{t('followup.clause')}</dt>
            <dd>{c.clauseRef}</dd>
          </>
        )}
        <dt>{t('followup.lead')}</dt>
        <dd>{orgName(c.leadOrganisationId)}</dd>
        {others.length > 0 && (
          <>
            <dt>{t('followup.others')}</dt>
            <dd>{others.map(orgName).join(', ')}</dd>
          </>
        )}
        <dt>{t('followup.due')}</dt>
        <dd>{c.rrule ? <RuleWords rule={c.rrule} /> : c.dueDate ? f.date(c.dueDate) : t('amend.noDate')}</dd>
        {c.target && (
          <>
            <dt>{t('followup.target')}</dt>
            <dd>
              {f.number(c.target.quantity)} {c.target.unit}
            </dd>
          </>
        )}
      </dl>
      {c.description && <p>{c.description}</p>}
      {editable && change !== 'removed' && (
        <div className="actions">
          <button
            ref={editButton}
            type="button"
            aria-expanded={editing}
            aria-label={t('amend.editLabel', { title: c.title })}
            onClick={() => setEditing((e) => !e)}
          >
            {editing ? t('amend.close') : t('amend.edit')}
          </button>
          <button
            type="button"
            className="danger"
            aria-expanded={confirming}
            aria-label={t('amend.removeLabel', { title: c.title })}
            onClick={() => setConfirming((x) => !x)}
          >
            {t('amend.remove')}
          </button>
        </div>
      )}
      {editable && change !== 'removed' && confirming && (
        <div className="notice confirm-remove" role="group" aria-label={t('amend.removeLabel', { title: c.title })}>
          <p>{t('amend.removeConfirm', { title: c.title })}</p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate(undefined, { onSuccess: () => onRemoved(c.title) })}
            >
              {t('amend.removeYes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('amend.removeNo')}
            </button>
          </div>
        </div>
      )}
      <ErrorNotice error={remove.error} />
      {editing && (
        <CommitmentEditor
          m={m}
          initial={c}
          withClause
          submitLabel={t('amend.save')}
          pending={save.isPending}
          error={save.error}
          onSubmit={(terms) =>
            save.mutate(terms, {
              onSuccess: () => {
                setEditing(false);
                editButton.current?.focus();
              },
            })
          }
        />
      )}
    </li>
  );
}
