/**
 * The frame's refusal order, without Nest or a database: visibility 404 → performer 403 → state
 * 409 → the rule's guards 422/409. The fake transaction hands out the locked row and parties and
 * fails the test on any write, so each refusal is also shown to come before the first write.
 */
import { DataSource } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor, Language, Role } from '@kelisim/identity';
import { ApiError, Clock, OutboxService } from '@kelisim/platform';
import { Memorandum, MemorandumParty } from '../entities';
import { MemorandumTransitionsService } from '../memorandum-transitions.service';
import { Decision, MemorandumStatus, PartyRole, SignatureMethod, SigningMode } from '../vocabulary';
import { SignatureVerifier } from '../signatures/signature-verifier';

const actor = (organisationId: string, roles: Role[], userId = `u-${organisationId}`): Actor => ({
  userId,
  organisationId,
  roles,
  fullName: 'X',
  email: 'x@example.kz',
  language: Language.Russian,
  tokenId: 't',
});

function serviceOver(row: Partial<Memorandum>, parties: Array<Partial<MemorandumParty>>): MemorandumTransitionsService {
  const write = () => {
    throw new Error('the frame wrote before refusing');
  };
  // The frame's one locking read (transitions/locked-row.ts) answers with the row as to_jsonb gives it.
  const snake = (o: object) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
  const locked = {
    m: snake(row),
    snapshot_version: row.version,
    parties: parties.map(snake),
    head: null,
    current: null,
    decisions: [],
  };
  const manager = {
    getRepository: () => ({
      find: write,
      findOneBy: write,
      findBy: write,
      insert: write,
      update: write,
      delete: write,
      save: write,
    }),
    createQueryBuilder: write,
    query: async (sql: string) => (sql.includes('FOR UPDATE OF m') ? [locked] : write()),
  };
  const db = { transaction: (work: (m: unknown) => Promise<unknown>) => work(manager) } as unknown as DataSource;
  const clock = { now: () => new Date('2021-09-25T10:00:00Z') } as Clock;
  return new MemorandumTransitionsService(
    db,
    clock,
    {} as OutboxService,
    {} as HistoryService,
    {} as SignatureVerifier,
  );
}

const memorandum = (status: MemorandumStatus): Partial<Memorandum> => ({
  id: 'm1',
  coordinatingOrganisationId: 'coord',
  status,
  amendmentStatus: null,
  version: 3,
  timeZone: 'Asia/Almaty',
  effectiveDate: null,
  endDate: null,
  pendingTerminationDate: null,
  currentRevisionNumber: 1,
});
const parties: Array<Partial<MemorandumParty>> = [
  { organisationId: 'coord', role: PartyRole.Signatory, order: 1, requiredSignatures: 1, signatoryUserIds: [] },
  { organisationId: 'a', role: PartyRole.Signatory, order: 2, requiredSignatures: 1, signatoryUserIds: ['named'] },
  { organisationId: 'w', role: PartyRole.Witness, order: 3, requiredSignatures: 1, signatoryUserIds: [] },
];
const meta = { requestId: null };

async function refusal(attempt: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return { status: (error as ApiError).getStatus(), code: (error as ApiError).code };
}

describe('the transitions frame refuses in order: 404, 403, 409, then the guards', () => {
  const signing = serviceOver(memorandum(MemorandumStatus.Signing), parties);
  const draft = serviceOver(memorandum(MemorandumStatus.Draft), parties);

  it('hides a memorandum the actor may not see (404), whatever else is wrong', async () => {
    const outsider = actor('elsewhere', [Role.Coordinator, Role.PartyRepresentative, Role.Signatory]);
    expect(await refusal(signing.withdraw(outsider, 'm1', {}, meta))).toEqual({ status: 404, code: 'not_found' });
    expect(
      await refusal(draft.recordDecision(outsider, 'm1', { decision: Decision.Approve, revisionHash: 'x' }, meta)),
    ).toEqual({ status: 404, code: 'not_found' });
  });

  it('refuses the wrong performer (403) before the state (409)', async () => {
    // Withdrawing in signing is allowed by the table; signing in draft is not — the performer is asked first.
    expect(await refusal(signing.withdraw(actor('a', [Role.Coordinator]), 'm1', { reason: 'r' }, meta))).toEqual({
      status: 403,
      code: 'not_coordinator',
    });
    const notNamed = actor('a', [Role.Signatory], 'not-named');
    const electronic = {
      method: SignatureMethod.Electronic,
      revisionHash: 'x',
      typedName: 'X',
      consent: true,
    } as const;
    expect(await refusal(draft.sign(notNamed, 'm1', electronic, meta))).toEqual({
      status: 403,
      code: 'not_a_named_signatory',
    });
    expect(await refusal(draft.sign(actor('w', [Role.PartyRepresentative]), 'm1', electronic, meta))).toEqual({
      status: 403,
      code: 'missing_role',
    });
    expect(
      await refusal(
        draft.recordDecision(
          actor('coord', [Role.Coordinator]),
          'm1',
          { decision: Decision.Approve, revisionHash: 'x' },
          meta,
        ),
      ),
    ).toEqual({ status: 403, code: 'missing_role' });
  });

  it('refuses the state (409) before the guards', async () => {
    // No reason given (a guard) and in the wrong state: the state answers.
    expect(
      await refusal(draft.renew(actor('coord', [Role.Coordinator]), 'm1', { endDate: '2020-01-01' }, meta)),
    ).toEqual({ status: 409, code: 'invalid_transition' });
    expect(
      await refusal(draft.openSigning(actor('coord', [Role.Coordinator]), 'm1', { mode: SigningMode.Parallel }, meta)),
    ).toEqual({ status: 409, code: 'invalid_transition' });
  });

  it("then checks the rule's guards (422) before writing", async () => {
    expect(await refusal(signing.withdraw(actor('coord', [Role.Coordinator]), 'm1', { reason: '  ' }, meta))).toEqual({
      status: 422,
      code: 'reason_required',
    });
  });
});
