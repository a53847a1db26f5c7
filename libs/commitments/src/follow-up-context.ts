/**
 * What every follow-up write shares: the memorandum row locked FOR UPDATE (so commitment writes
 * queue behind the lifecycle's and each other's history appends), visibility (404), the
 * responsible-party rule, and the history event into the memorandum's chain.
 */
import { EntityManager } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor, hasRole, Role } from '@kelisim/identity';
import {
  canSee,
  isCoordinatorOf,
  lifecycleStateOf,
  LifecycleState,
  Memorandum,
  MemorandumParty,
  RequestMeta,
} from '@kelisim/memoranda';
import { ApiError } from '@kelisim/platform';
import { Commitment } from './entities';

export interface MemorandumInContext {
  memorandum: Memorandum;
  parties: MemorandumParty[];
  state: LifecycleState;
}

export async function loadMemorandum(
  manager: EntityManager,
  actor: Actor | null,
  memorandumId: string,
  lock: boolean,
): Promise<MemorandumInContext> {
  const qb = manager.getRepository(Memorandum).createQueryBuilder('m').where('m.id = :id', { id: memorandumId });
  if (lock) qb.setLock('pessimistic_write');
  const memorandum = await qb.getOne();
  if (!memorandum) throw ApiError.notFound('Memorandum', memorandumId);
  const parties = await manager
    .getRepository(MemorandumParty)
    .find({ where: { memorandumId }, order: { order: 'ASC', organisationId: 'ASC' } });
  if (
    actor &&
    !canSee(actor, { id: memorandum.id, coordinatingOrganisationId: memorandum.coordinatingOrganisationId, parties })
  )
    throw ApiError.notFound('Memorandum', memorandumId);
  return { memorandum, parties, state: lifecycleStateOf(memorandum) };
}

export function isCoordinator(actor: Actor, ctx: MemorandumInContext): boolean {
  return isCoordinatorOf(actor, {
    coordinatingOrganisationId: ctx.memorandum.coordinatingOrganisationId,
    parties: ctx.parties,
  });
}

export function requireCoordinator(actor: Actor, ctx: MemorandumInContext): void {
  if (!isCoordinator(actor, ctx))
    throw ApiError.forbidden('Only a coordinator of the coordinating organisation may do this', 'not_coordinator');
}

export function responsibleOrganisations(c: Pick<Commitment, 'leadOrganisationId' | 'organisationIds'>): string[] {
  return [c.leadOrganisationId, ...c.organisationIds.filter((o) => o !== c.leadOrganisationId)];
}

/** Representatives (or signatories, or coordinators) of a responsible party act on a commitment; 403 otherwise. */
export function requireResponsible(actor: Actor, c: Commitment, what: string): void {
  if (!hasRole(actor, Role.PartyRepresentative, Role.Signatory, Role.Coordinator))
    throw ApiError.forbidden(`Only representatives of a responsible party ${what}`, 'missing_role', {
      requiredRoles: [Role.PartyRepresentative],
    });
  if (!responsibleOrganisations(c).includes(actor.organisationId))
    throw ApiError.forbidden(
      `Your organisation is not responsible for this commitment: it cannot ${what}`,
      'not_responsible',
      {
        responsibleOrganisationIds: responsibleOrganisations(c),
      },
    );
}

/** Follow-up acts while the memorandum is in force (an amendment under way included). */
export function requireActive(ctx: MemorandumInContext, what: string): void {
  if (ctx.memorandum.status !== 'active')
    throw ApiError.conflict('memorandum_not_active', `Cannot ${what}: memorandum is ${ctx.memorandum.status}`, {
      state: ctx.memorandum.status,
    });
}

export interface FollowUpEvent {
  action: string;
  /** The commitment's status before and after, kept in the event's data. */
  fromStatus?: string | null;
  toStatus?: string | null;
  organisationId?: string | null;
  reason?: string | null;
  data: Record<string, unknown>;
}

/**
 * Appends the event to the memorandum's chain. The chain's invariants hold for follow-up events
 * too: the memorandum's version counts its events (so it is bumped here, under the row lock) and
 * the last event leaves the memorandum in its state (follow-up never changes it: from = to).
 */
export async function appendFollowUpHistory(
  history: HistoryService,
  manager: EntityManager,
  ctx: MemorandumInContext,
  actor: Actor | null,
  at: Date,
  meta: RequestMeta | null,
  e: FollowUpEvent,
): Promise<void> {
  const m = ctx.memorandum;
  const bumped = await manager
    .createQueryBuilder()
    .update(Memorandum)
    .set({ version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id: m.id, version: m.version })
    .execute();
  if (bumped.affected !== 1)
    throw ApiError.conflict('concurrent_update', 'Another request changed this memorandum at the same time; retry');
  m.version += 1;
  const statuses =
    e.fromStatus !== undefined || e.toStatus !== undefined
      ? { commitmentStatus: { from: e.fromStatus ?? null, to: e.toStatus ?? null } }
      : {};
  await history.append(manager, {
    memorandumId: m.id,
    action: e.action,
    fromStatus: ctx.state,
    toStatus: ctx.state,
    actorUserId: actor?.userId ?? null,
    actorName: actor?.fullName ?? null,
    organisationId: e.organisationId ?? actor?.organisationId ?? null,
    revisionNumber: null,
    revisionHash: null,
    reason: e.reason ?? null,
    requestId: meta?.requestId ?? null,
    at,
    data: { ...e.data, ...statuses },
  });
}
