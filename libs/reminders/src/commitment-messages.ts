/**
 * What follow-up items send when they fire (docs/follow-up.md): a due reminder to the responsible
 * parties' representatives; after the overdue marking, overdue reminders every `intervalDays`, then
 * the escalation to the memorandum's supervisors. Called inside ScheduleService.fire's transaction.
 */
import { EntityManager } from 'typeorm';
import { DAY_MS, afterReminder } from './policies';
import { dedupeKey } from './dedupe-key';
import type { MessagingContext } from './messaging-context';
import type { AfterCommit } from './after-commit';
import { ScheduledItem, ScheduledItemKind as K } from './scheduled-item.entity';

/** Supervisors whose scope covers the memorandum (a global scope included); never one scoped elsewhere or unscoped. */
export async function supervisorsOf(
  ctx: Pick<MessagingContext, 'directory' | 'recipients'>,
  m: EntityManager,
  memorandumId: string,
) {
  const [all, covering] = await Promise.all([
    ctx.recipients.withRole(m, 'supervisor'),
    ctx.directory.supervisors(m, memorandumId),
  ]);
  return all.filter((u) => covering.includes(u.id));
}

export async function sendCommitmentMessage(
  ctx: MessagingContext,
  m: EntityManager,
  item: ScheduledItem,
  after: AfterCommit,
): Promise<string> {
  const facts = await ctx.directory.facts(m, item.memorandumId);
  const occurrence = await ctx.followUp.occurrence(m, String(item.data.occurrenceId ?? ''));
  if (!facts || !occurrence) return 'obsolete:gone';
  if (!occurrence.open) return `obsolete:${occurrence.status}`;
  const overdueKinds = [K.CommitmentOverdue, K.CommitmentOverdueReminder, K.CommitmentEscalation];
  if (overdueKinds.includes(item.kind) && occurrence.status !== 'overdue') return `obsolete:${occurrence.status}`;

  const policy = await ctx.policy(
    m,
    item.memorandumId,
    item.kind === K.CommitmentDue ? 'commitment_due' : 'commitment_overdue',
  );
  if (!policy.enabled) return 'policy_off';
  const source = {
    sourceType: 'scheduled_item' as const,
    sourceId: item.id,
    memorandumId: item.memorandumId,
    timeZone: facts.timeZone,
  };
  const vars = {
    title: facts.title,
    commitmentTitle: occurrence.title,
    date: occurrence.date,
    sequence: item.sequence,
    maxCount: policy.maxCount ?? undefined,
    daysBefore: Number(item.data.daysBefore ?? 0),
    daysOverdue: Math.max(1, Math.round((item.dueAt.getTime() - occurrence.overdueAt.getTime()) / DAY_MS) + 1),
  };
  const escalation = item.kind === K.CommitmentEscalation;
  const users = escalation
    ? await supervisorsOf(ctx, m, item.memorandumId)
    : await ctx.recipients.withRole(m, 'party_representative', occurrence.responsibleOrganisationIds);
  const topic =
    item.kind === K.CommitmentDue ? 'commitment_due' : escalation ? 'commitment_escalation' : 'commitment_overdue';
  after.deliveries.push(...(await ctx.deliveries.notifyUsers(m, source, topic, users, vars)));
  after.deliveries.push(
    ...(await ctx.deliveries.notifyWebhooks(
      m,
      source,
      topic,
      [...occurrence.responsibleOrganisationIds, facts.coordinatingOrganisationId],
      {
        memorandumId: item.memorandumId,
        commitmentId: occurrence.commitmentId,
        occurrenceDate: occurrence.date,
        sequence: item.sequence,
        dueAt: item.dueAt.toISOString(),
      },
    )),
  );

  if (item.kind === K.CommitmentOverdue || item.kind === K.CommitmentOverdueReminder) {
    const next = afterReminder(policy, item.sequence, item.dueAt);
    const base = { memorandumId: item.memorandumId, organisationId: item.organisationId, data: item.data };
    if (next.step === 'reminder')
      await ctx.schedule(m, after, {
        ...base,
        kind: K.CommitmentOverdueReminder,
        dueAt: next.dueAt,
        sequence: next.sequence,
        dedupeKey: dedupeKey({
          kind: 'commitment_overdue_reminder',
          occurrenceId: occurrence.id,
          sequence: next.sequence,
        }),
      });
    else if (next.step === 'escalation')
      await ctx.schedule(m, after, {
        ...base,
        kind: K.CommitmentEscalation,
        dueAt: next.dueAt,
        sequence: item.sequence,
        dedupeKey: dedupeKey({ kind: 'commitment_escalation', occurrenceId: occurrence.id }),
      });
  }
  return `sent:${users.length}`;
}
