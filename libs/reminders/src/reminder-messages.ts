/**
 * What a due reminder, escalation or term notice sends, and what it schedules next (the next
 * reminder of the series, or the escalation). Called by ScheduleService.fire inside its transaction.
 */
import { EntityManager } from 'typeorm';
import { MessageTopic } from '@kelisim/notifications';
import { sendCommitmentMessage, supervisorsOf } from './commitment-messages';
import { dedupeKey } from './dedupe-key';
import { Recipient } from './memorandum-directory.port';
import { afterReminder } from './policies';
import type { AfterCommit } from './after-commit';
import { MessagingContext } from './messaging-context';
import { ScheduledItem, ScheduledItemKind } from './scheduled-item.entity';

/** Sends what the item is about and schedules what follows it; returns the outcome to store. */
export async function sendDueMessage(
  ctx: MessagingContext,
  m: EntityManager,
  item: ScheduledItem,
  after: AfterCommit,
): Promise<string> {
  const facts = await ctx.directory.facts(m, item.memorandumId);
  if (!facts) return 'memorandum_unknown';
  const party = facts.parties.find((p) => p.organisationId === item.organisationId);
  const source = {
    sourceType: 'scheduled_item' as const,
    sourceId: item.id,
    memorandumId: item.memorandumId,
    timeZone: facts.timeZone,
  };
  const vars = { title: facts.title, organisationName: party?.name, sequence: item.sequence };
  const send = async (topic: MessageTopic, users: Recipient[], extra: Record<string, unknown> = {}) => {
    const v = { ...vars, ...extra };
    after.deliveries.push(...(await ctx.deliveries.notifyUsers(m, source, topic, users, v)));
    const orgs = item.organisationId ? [item.organisationId] : facts.parties.map((p) => p.organisationId);
    after.deliveries.push(
      ...(await ctx.deliveries.notifyWebhooks(m, source, topic, [...orgs, facts.coordinatingOrganisationId], {
        memorandumId: item.memorandumId,
        organisationId: item.organisationId,
        revisionNumber: item.revisionNumber,
        sequence: item.sequence,
        dueAt: item.dueAt.toISOString(),
        ...extra,
      })),
    );
    return `sent:${users.length}`;
  };

  switch (item.kind) {
    case ScheduledItemKind.ApprovalReminder:
    case ScheduledItemKind.SignatureReminder: {
      const review = item.kind === ScheduledItemKind.ApprovalReminder;
      if (facts.actingStage !== (review ? 'review' : 'signing')) return `obsolete:${facts.status}`;
      const policy = await ctx.policy(m, item.memorandumId, review ? 'review' : 'signing');
      let users: Recipient[];
      if (review) users = await ctx.recipients.withRole(m, 'party_representative', [item.organisationId!]);
      else {
        const progress = party
          ? await ctx.directory.signatureProgress(
              m,
              item.memorandumId,
              party.organisationId,
              item.revisionNumber,
              party.requiredSignatures,
            )
          : null;
        if (progress?.complete) return 'obsolete:signed';
        users = party?.signatoryUserIds.length
          ? await ctx.recipients.byIds(
              m,
              party.signatoryUserIds.filter((u) => !progress?.signerUserIds.includes(u)),
            )
          : await ctx.recipients.withRole(m, 'signatory', [item.organisationId!]);
      }
      const result = await send(review ? 'approval_reminder' : 'signature_reminder', users, {
        maxCount: policy.maxCount,
      });
      const next = afterReminder(policy, item.sequence, item.dueAt);
      const base = {
        memorandumId: item.memorandumId,
        organisationId: item.organisationId,
        revisionNumber: item.revisionNumber,
        data: item.data,
      };
      const series = {
        stage: review ? 'review' : 'signing',
        memorandumId: item.memorandumId,
        organisationId: item.organisationId!,
        revisionNumber: item.revisionNumber ?? 0,
      } as const;
      if (next.step === 'reminder') {
        await ctx.schedule(m, after, {
          ...base,
          kind: item.kind,
          dueAt: next.dueAt,
          sequence: next.sequence,
          dedupeKey: dedupeKey({ kind: 'reminder', ...series, sequence: next.sequence }),
        });
      } else if (next.step === 'escalation') {
        await ctx.schedule(m, after, {
          ...base,
          kind: ScheduledItemKind.Escalation,
          dueAt: next.dueAt,
          sequence: item.sequence,
          data: { ...item.data, stage: series.stage },
          dedupeKey: dedupeKey({ kind: 'escalation', ...series }),
        });
      }
      return result;
    }
    case ScheduledItemKind.Escalation: {
      const stage = item.data.stage === 'signing' ? 'signing' : 'review';
      if (facts.actingStage !== stage) return `obsolete:${facts.status}`;
      return send('escalation', await supervisorsOf(ctx, m, item.memorandumId), { stage });
    }
    case ScheduledItemKind.TermNotice: {
      if (!facts.inForce) return `obsolete:${facts.status}`;
      const orgs = facts.parties.map((p) => p.organisationId);
      const users = [
        ...(await ctx.recipients.withRole(m, 'party_representative', orgs)),
        ...(await ctx.recipients.withRole(m, 'coordinator', [facts.coordinatingOrganisationId])),
      ];
      return send('term_notice', users, { daysBefore: item.data.daysBefore, endDate: item.data.endDate });
    }
    case ScheduledItemKind.CommitmentDue:
    case ScheduledItemKind.CommitmentOverdue:
    case ScheduledItemKind.CommitmentOverdueReminder:
    case ScheduledItemKind.CommitmentEscalation:
      return sendCommitmentMessage(ctx, m, item, after);
    default:
      return 'unknown_kind';
  }
}
