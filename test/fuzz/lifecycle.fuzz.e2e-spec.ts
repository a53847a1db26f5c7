/**
 * Model-based fuzzing of the lifecycle through HTTP (fast-check): random sequences of actions by
 * random users — the coordinator, representatives and signatories of signatory and witness
 * parties, an outsider holding every role, a supervisor — each checked against the model
 * (lifecycle-model.ts, built on the pure transition table): an action the model allows answers 2xx
 * and moves the memorandum where the model says; one it refuses answers the model's 4xx and
 * changes nothing. Never a 5xx. After every step the invariants hold: a party decides a revision
 * at most once; an executed revision carries every required signature naming its hash; the
 * history chain verifies.
 *
 * `npm test` runs a fixed seed and a random one (both printed); `npm run fuzz` runs longer
 * and shrinks a failure to its shortest sequence (FUZZ_RUNS, FUZZ_SEED, FUZZ_STEPS, FUZZ_SHRINK).
 */
import fc from 'fast-check';
import { Role } from '@kelisim/identity';
import { createOrganisation, createUser, superviseEverything, TestUser } from '../support/identity';
import { startTestApp, TestApp } from '../support/test-app';
import { fuzzSettings, itFollowsTheModel } from './seeds';
import { footprint } from '../memoranda.fixture';
import {
  addYear,
  allowedSteps,
  expectationOf,
  lifecycleStateOf,
  ModelState,
  OrgKey,
  PARTY_ORGS,
  SIGNATORY_ORGS,
  Step,
  USERS,
} from './lifecycle-model';

// A step is a few HTTP calls and queries (tens of ms); shrinking (`npm run fuzz`) replays a failing run many times.
const { runs: RUNS, maxSteps: MAX_STEPS, timeoutMs: TIMEOUT } = fuzzSettings({ runs: 6, steps: 40, msPerStep: 500 });
const FIXED_SEED = 20210928;

const ROLE: Record<string, Role> = {
  coordinator: Role.Coordinator,
  party_representative: Role.PartyRepresentative,
  signatory: Role.Signatory,
  supervisor: Role.Supervisor,
};

const user = fc.integer({ min: 0, max: USERS.length - 1 });
// Weighted towards the actions that move a memorandum forward, so that runs reach signing and amendments.
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), user }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('submit' as const), user }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      user,
      decision: fc.constantFrom(
        'approve',
        'approve',
        'approve',
        'request_changes',
        'decline',
        'comment',
      ) as fc.Arbitrary<'approve' | 'request_changes' | 'decline' | 'comment'>,
      staleHash: fc.boolean(),
      blankComment: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('open_signing' as const), user }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('sign' as const), user, staleHash: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), user, blankReason: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renew' as const), user, earlier: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('terminate' as const), user, blankReason: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('amend' as const), user }) },
);
/**
 * A move is either any step (mostly refused: wrong user, wrong state, stale hash) or "one of the steps the model
 * allows now", picked by `choice`: without those, runs would rarely get past the first review.
 */
type Move = { fit: true; choice: number } | { fit: false; step: Step };
const moveArb: fc.Arbitrary<Move> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ fit: fc.constant(true as const), choice: fc.nat(1000) }) },
  { weight: 2, arbitrary: fc.record({ fit: fc.constant(false as const), step: stepArb }) },
);

describe('fuzz: random actions by random users against the lifecycle model (fast-check)', () => {
  let t: TestApp;
  const orgIds = {} as Record<OrgKey, string>;
  const people: Array<TestUser & { fullName: string }> = [];

  beforeAll(async () => {
    t = await startTestApp();
    for (const key of ['coord', 'p1', 'p2', 'witness', 'outsider', 'office'] as OrgKey[]) {
      orgIds[key] = (await createOrganisation(t, `Fuzz ${key}`)).id;
    }
    for (const [i, u] of USERS.entries()) {
      const fullName = `Fuzz ${u.key} Тест`;
      const created = await createUser(t, {
        fullName,
        email: `${u.key}@fuzz.test`,
        organisationId: orgIds[u.org],
        roles: u.roles.map((r) => ROLE[r]),
      });
      if (u.roles.includes('supervisor')) await superviseEverything(t, created);
      people[i] = { ...created, fullName };
    }
  });
  // What the runs reached, printed so that a run that never leaves the draft is seen.
  const reached = new Map<string, number>();
  const answers = { allowed: 0, refused: 0 };
  afterAll(async () => {
    console.log(
      `lifecycle fuzz: ${answers.allowed} allowed and ${answers.refused} refused actions; states reached: ` +
        [...reached].map(([k, n]) => `${k} ${n}`).join(', '),
    );
    await t?.close();
  });

  async function newMemorandum(): Promise<string> {
    const coordinator = people[USERS.findIndex((u) => u.key === 'coordinator')];
    const res = await t.http().post('/memoranda').set(coordinator.auth).send({
      title: 'Меморандум о сотрудничестве (fuzz)',
      purpose: 'Бірлік пен келісім',
      body: 'Стороны договорились о сотрудничестве.',
      language: 'ru',
      timeZone: 'Asia/Almaty',
      effectiveDate: '2021-09-01',
      endDate: '2024-09-01',
      coordinatingOrganisationId: orgIds.coord,
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    for (const org of PARTY_ORGS) {
      const added = await t
        .http()
        .post(`/memoranda/${res.body.id}/parties`)
        .set(coordinator.auth)
        .send({ organisationId: orgIds[org], role: SIGNATORY_ORGS.includes(org) ? 'signatory' : 'witness' });
      if (added.status !== 201) throw new Error(`party: ${added.status} ${JSON.stringify(added.body)}`);
    }
    return res.body.id;
  }

  async function perform(id: string, step: Step, m: ModelState) {
    const who = people[step.user];
    const staleHash = m.pastHashes.find((h) => h !== m.currentHash) ?? 'f'.repeat(64);
    const post = (path: string, body: object) => t.http().post(`/memoranda/${id}/${path}`).set(who.auth).send(body);
    switch (step.kind) {
      case 'edit': {
        const [{ version }] = await t.db.query(`SELECT version FROM memoranda WHERE id = $1`, [id]);
        return t
          .http()
          .patch(`/memoranda/${id}`)
          .set(who.auth)
          .set('If-Match', String(version))
          .send({ purpose: `Бірлік пен келісім ${version}` });
      }
      case 'submit':
        return post('submit', {});
      case 'decide':
        return post('approvals', {
          decision: step.decision,
          revisionHash: step.staleHash ? staleHash : (m.currentHash ?? staleHash),
          ...(step.blankComment ? { comment: '   ' } : { comment: 'Ескерту / замечание' }),
        });
      case 'open_signing':
        return post('open-signing', { mode: 'parallel' });
      case 'sign':
        return post('signatures', {
          method: 'electronic',
          revisionHash: step.staleHash ? staleHash : (m.currentHash ?? staleHash),
          typedName: who.fullName,
          consent: true,
        });
      case 'withdraw':
        return post('withdraw', { reason: step.blankReason ? ' ' : 'Отозван' });
      case 'renew':
        return post('renew', { endDate: step.earlier ? '2022-01-01' : addYear(m.endDate) });
      case 'terminate':
        return post('terminate', { reason: step.blankReason ? ' ' : 'Расторгнут по соглашению сторон' });
      case 'amend':
        return post('amendments', { reason: 'Изменение условий' });
    }
  }

  async function checkInvariants(id: string, m: ModelState, log: string[]) {
    const fail = (what: string) => {
      throw new Error(`${what}\nsteps:\n${log.join('\n')}`);
    };
    const [row] = await t.db.query(
      `SELECT m.status, m.amendment_status, r.hash, m.end_date::text AS end_date
         FROM memoranda m JOIN memorandum_revisions r ON r.memorandum_id = m.id AND r.number = m.current_revision_number
        WHERE m.id = $1`,
      [id],
    );
    const state = lifecycleStateOf(row.status, row.amendment_status);
    if (state !== m.state) fail(`state is ${state}, the model says ${m.state}`);
    const drafting = m.state === 'draft' || m.state === 'amendment_draft';
    const frozen = [
      'in_review',
      'approved',
      'signing',
      'amendment_in_review',
      'amendment_approved',
      'amendment_signing',
    ];
    if (frozen.includes(m.state) && !row.hash) fail(`no frozen revision hash in ${m.state}`);
    if (drafting && row.hash) fail(`the working revision of ${m.state} has a hash`);
    m.currentHash = frozen.includes(m.state) ? row.hash : null;
    if (row.hash && !m.pastHashes.includes(row.hash)) m.pastHashes.push(row.hash);
    if (row.end_date !== m.endDate) fail(`end date ${row.end_date}, the model says ${m.endDate}`);

    const twice = await t.db.query(
      `SELECT organisation_id, revision_number FROM memorandum_approvals
        WHERE memorandum_id = $1 AND decision <> 'comment' GROUP BY 1, 2 HAVING count(*) > 1`,
      [id],
    );
    if (twice.length) fail(`a party decided a revision twice: ${JSON.stringify(twice)}`);
    const unsigned = await t.db.query(
      `SELECT p.organisation_id FROM memoranda m
         JOIN memorandum_revisions r ON r.memorandum_id = m.id AND r.number = m.executed_revision_number
         JOIN memorandum_parties p ON p.memorandum_id = m.id AND p.role = 'signatory'
        WHERE m.id = $1
          AND (SELECT count(*) FROM memorandum_signatures s WHERE s.memorandum_id = m.id
                 AND s.organisation_id = p.organisation_id AND s.revision_number = r.number
                 AND s.revision_hash = r.hash) < p.required_signatures`,
      [id],
    );
    if (unsigned.length) fail(`executed without every signature naming its hash: ${JSON.stringify(unsigned)}`);
    const supervisor = people[USERS.findIndex((u) => u.key === 'supervisor')];
    const verify = await t.http().get(`/memoranda/${id}/history/verify`).set(supervisor.auth);
    if (verify.status !== 200 || verify.body.valid !== true)
      fail(`history does not verify: ${JSON.stringify(verify.body)}`);
  }

  async function run(moves: Move[]): Promise<void> {
    const id = await newMemorandum();
    const m: ModelState = {
      state: 'draft',
      currentHash: null,
      pastHashes: [],
      decided: new Set(),
      approved: new Set(),
      signed: new Set(),
      endDate: '2024-09-01',
    };
    const log: string[] = [];
    for (const move of moves) {
      const fits = move.fit ? allowedSteps(m) : [];
      const step = move.fit ? fits[move.choice % fits.length] : move.step;
      if (!step) continue; // a final state: nothing is allowed any more
      const expected = expectationOf(m, step);
      const before = expected.ok ? undefined : await footprint(t, id);
      const res = await perform(id, step, m);
      log.push(`${m.state} ${USERS[step.user].key} ${JSON.stringify(step)} → ${res.status}`);
      if (res.status >= 500) throw new Error(`5xx: ${JSON.stringify(res.body)}\nsteps:\n${log.join('\n')}`);
      if (expected.ok) {
        if (res.status >= 300) {
          throw new Error(
            `the model allows it, the API answered ${res.status} ${JSON.stringify(res.body)}\n${log.join('\n')}`,
          );
        }
        expected.apply(m);
        answers.allowed++;
        reached.set(m.state, (reached.get(m.state) ?? 0) + 1);
      } else {
        if (res.status !== expected.status) {
          throw new Error(
            `the model refuses (${expected.why}: ${expected.status}), the API answered ${res.status} ` +
              `${JSON.stringify(res.body)}\n${log.join('\n')}`,
          );
        }
        answers.refused++;
        const after = await footprint(t, id);
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          throw new Error(
            `a refusal changed ${JSON.stringify(before)} into ${JSON.stringify(after)}\n${log.join('\n')}`,
          );
        }
      }
      await checkInvariants(id, m, log);
    }
  }

  const property = fc.asyncProperty(
    fc.array(moveArb, { minLength: Math.min(20, MAX_STEPS), maxLength: MAX_STEPS }),
    run,
  );

  itFollowsTheModel(property, { fixedSeed: FIXED_SEED, runs: RUNS, timeoutMs: TIMEOUT });
});
