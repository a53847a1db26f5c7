/**
 * Model-based fuzzing of the commitments' follow-up through HTTP (fast-check): on an active Taraz
 * memorandum with its three commitments, random users (the coordinator, representatives of lead,
 * responsible and uninvolved parties, the witness party, a supervisor, an outsider holding every
 * role) start, complete and cancel commitments or one of their occurrences (a real date, an
 * unknown one, or none). Each answer is checked against the model — the pure commitment table
 * (`nextStatus`, `statusFromOccurrences` of libs/commitments) plus who may act: allowed → 200 and
 * the model's statuses; refused → the model's 4xx and nothing changed; never a 5xx. After every
 * step the commitment's and every occurrence's status are the model's and the memorandum's history
 * chain verifies. Overdue, set by the worker's timer, has its own tests (follow-up e2e).
 *
 * `npm test` runs a fixed seed and a random one (both printed); `npm run fuzz` runs longer
 * (FUZZ_RUNS, FUZZ_SEED, FUZZ_STEPS, FUZZ_SHRINK).
 */
import fc from 'fast-check';
import { Role } from '@kelisim/identity';
import { CommitmentStatus as S, nextStatus, statusFromOccurrences } from '@kelisim/commitments';
import { createOrganisation, createUser, login, TestUser } from '../support/identity';
import { startTestApp, TestApp } from '../support/test-app';
import { fuzzSettings, itFollowsTheModel } from './seeds';
import {
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  moveClock,
  person,
  signByAll,
  submitAndApprove,
  Taraz,
} from '../memoranda.fixture';

const { runs: RUNS, maxSteps: MAX_STEPS, timeoutMs: TIMEOUT } = fuzzSettings({ runs: 3, steps: 30, msPerStep: 600 });
const FIXED_SEED = 20220928;

type Action = 'start' | 'complete' | 'cancel';
const OPEN = [S.Planned, S.InProgress, S.Overdue];

/** Who acts: an organisation of the seed (its first person) or the outsider; `coordinating` marks the coordinator's. */
interface Actor {
  key: string;
  user: TestUser;
  organisationId: string;
  roles: Role[];
}

interface CommitmentModel {
  id: string;
  status: S;
  /** Occurrence statuses by date. */
  occurrences: Map<string, S>;
  /** The organisations responsible for it (lead first). */
  responsible: string[];
}

interface Step {
  /** An actor who may do it (the coordinator to cancel, a responsible party's person otherwise), or `actor`. */
  fit: boolean;
  actor: number;
  commitment: number;
  action: Action;
  /** No date; one of the commitment's (index, modulo their number); or a date it does not have. */
  occurrence: { kind: 'none' } | { kind: 'real'; index: number } | { kind: 'unknown' };
}

type Expectation = { ok: true; apply: () => void } | { ok: false; status: number; why: string };

describe('fuzz: random commitment actions by random users against the commitments model (fast-check)', () => {
  let t: TestApp;
  let tz: Taraz;
  let coordinatingOrganisationId: string;
  const actors: Actor[] = [];
  const answers = { allowed: 0, refused: 0 };
  const reached = new Map<string, number>();

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    coordinatingOrganisationId = tz.kelisim.id;
    for (const key of ['kelisim', 'youth-office', 'jas-otan', 'zhas-ulan', 'zhangyru', 'dulaty', 'internal-policy']) {
      const p = person(tz, key);
      actors.push({ key, user: p, organisationId: tz[key].id, roles: p.roles });
    }
    const other = await createOrganisation(t, 'Fuzz: не участвует');
    const roles = [Role.Coordinator, Role.PartyRepresentative, Role.Signatory];
    const outsider = await createUser(t, {
      fullName: 'Сторонний Пользователь',
      email: 'outsider@commitments-fuzz.test',
      organisationId: other.id,
      roles,
    });
    actors.push({ key: 'outsider', user: outsider, organisationId: other.id, roles });
  });
  afterAll(async () => {
    console.log(
      `commitments fuzz: ${answers.allowed} allowed and ${answers.refused} refused actions; statuses reached: ` +
        [...reached].map(([k, n]) => `${k} ${n}`).join(', '),
    );
    await t?.close();
  });

  /** Everyone but the outsider sees the memorandum (its parties, the coordinator, a supervisor with the global scope). */
  const sees = (a: Actor) => a.key !== 'outsider';
  const has = (a: Actor, ...roles: Role[]) => roles.some((r) => a.roles.includes(r));

  /** The model: who may act (403/404), then the table (409), then the occurrence named (422/409). */
  function actorOf(step: Step, commitments: CommitmentModel[]): number {
    if (!step.fit) return step.actor;
    const c = commitments[step.commitment];
    const fits = actors
      .map((a, i) => ({ a, i }))
      .filter(({ a }) =>
        step.action === 'cancel'
          ? a.organisationId === coordinatingOrganisationId && has(a, Role.Coordinator)
          : c.responsible.includes(a.organisationId),
      );
    return fits[step.actor % fits.length].i;
  }

  function expectationOf(step: Step, commitments: CommitmentModel[]): Expectation {
    const a = actors[actorOf(step, commitments)];
    const c = commitments[step.commitment];
    if (step.action === 'cancel' && !has(a, Role.Coordinator)) return { ok: false, status: 403, why: 'role guard' };
    // `start` takes no body: a date sent with it is refused (400 naming the field) before anything is read.
    if (step.action === 'start' && step.occurrence.kind !== 'none')
      return { ok: false, status: 400, why: 'start takes no body' };
    if (!sees(a)) return { ok: false, status: 404, why: 'not visible' };
    if (step.action === 'cancel') {
      if (a.organisationId !== coordinatingOrganisationId) return { ok: false, status: 403, why: 'not coordinator' };
    } else {
      if (!has(a, Role.PartyRepresentative, Role.Signatory, Role.Coordinator))
        return { ok: false, status: 403, why: 'missing role' };
      if (!c.responsible.includes(a.organisationId)) return { ok: false, status: 403, why: 'not responsible' };
    }
    const to = nextStatus(c.status, step.action);
    if (!to) return { ok: false, status: 409, why: `${step.action} from ${c.status}` };
    if (step.action === 'start') return { ok: true, apply: () => (c.status = to) };
    const dates = [...c.occurrences.keys()];
    const action = step.action;
    let target: string[] = [];
    if (step.occurrence.kind === 'unknown') return { ok: false, status: 422, why: 'no such occurrence' };
    if (step.occurrence.kind === 'real') {
      const date = dates[step.occurrence.index % dates.length];
      if (!OPEN.includes(c.occurrences.get(date)!)) return { ok: false, status: 409, why: 'occurrence finished' };
      target = [date];
    } else {
      const open = dates.filter((d) => OPEN.includes(c.occurrences.get(d)!));
      if (action === 'complete' && open.length > 1) return { ok: false, status: 422, why: 'occurrence required' };
      target = open;
    }
    return {
      ok: true,
      apply: () => {
        for (const d of target) c.occurrences.set(d, action === 'complete' ? S.Completed : S.Cancelled);
        const whole = action === 'cancel' && step.occurrence.kind === 'none';
        if (whole || !c.occurrences.size) c.status = to;
        else
          c.status = statusFromOccurrences(action === 'complete' && c.status === S.Planned ? S.InProgress : c.status, [
            ...c.occurrences.values(),
          ]);
      },
    };
  }

  async function snapshot(c: CommitmentModel) {
    const [row] = await t.db.query(`SELECT status, version FROM commitments WHERE id = $1`, [c.id]);
    const occurrences = await t.db.query(
      `SELECT date::text AS date, status FROM commitment_occurrences WHERE commitment_id = $1 ORDER BY date`,
      [c.id],
    );
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM history_events h JOIN commitments c ON c.memorandum_id = h.memorandum_id WHERE c.id = $1`,
      [c.id],
    );
    return { row, occurrences, history: n };
  }

  async function newActiveMemorandum(): Promise<{ id: string; commitments: CommitmentModel[] }> {
    await moveClock(t, tz, '2021-09-20T10:00:00+06:00');
    const id = await draftTarazMemorandum(t, tz);
    const ids = await addTarazCommitments(t, tz, id);
    const hash = await submitAndApprove(t, tz, id);
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    // moveClock logs the seed's people in again (sessions expire as time moves); the outsider too.
    const outsider = actors[actors.length - 1].user;
    outsider.token = await login(t, outsider.email);
    outsider.auth = { Authorization: `Bearer ${outsider.token}` };
    const coordinator = person(tz, 'kelisim');
    const commitments: CommitmentModel[] = [];
    for (const cid of ids) {
      const c = await t.http().get(`/commitments/${cid}`).set(coordinator.auth);
      const o = await t.http().get(`/commitments/${cid}/occurrences`).set(coordinator.auth);
      if (c.status !== 200 || o.status !== 200) throw new Error(`read commitment: ${c.status} ${o.status}`);
      commitments.push({
        id: cid,
        status: c.body.status as S,
        occurrences: new Map((o.body.items as { date: string; status: S }[]).map((x) => [x.date, x.status])),
        responsible: [c.body.leadOrganisationId, ...(c.body.organisationIds as string[])],
      });
    }
    return { id, commitments };
  }

  async function run(steps: Step[]): Promise<void> {
    const { id, commitments } = await newActiveMemorandum();
    const log: string[] = [];
    for (const step of steps) {
      const c = commitments[step.commitment];
      const a = actors[actorOf(step, commitments)];
      const dates = [...c.occurrences.keys()];
      const occurrenceDate =
        step.occurrence.kind === 'real'
          ? dates[step.occurrence.index % dates.length]
          : step.occurrence.kind === 'unknown'
            ? '2021-01-01'
            : undefined;
      const expected = expectationOf(step, commitments);
      const before = expected.ok ? undefined : await snapshot(c);
      const res = await t
        .http()
        .post(`/commitments/${c.id}/${step.action}`)
        .set(a.user.auth)
        .send(occurrenceDate ? { occurrenceDate } : {});
      log.push(`${c.status} ${a.key} ${step.action} ${occurrenceDate ?? '-'} → ${res.status}`);
      const fail = (what: string) => {
        throw new Error(`${what}\nsteps:\n${log.join('\n')}`);
      };
      if (res.status >= 500) fail(`5xx: ${JSON.stringify(res.body)}`);
      if (expected.ok) {
        if (res.status !== 200) fail(`the model allows it, the API answered ${res.status} ${JSON.stringify(res.body)}`);
        expected.apply();
        answers.allowed++;
        reached.set(c.status, (reached.get(c.status) ?? 0) + 1);
      } else {
        if (res.status !== expected.status)
          fail(
            `the model refuses (${expected.why}: ${expected.status}), the API answered ${res.status} ${JSON.stringify(res.body)}`,
          );
        answers.refused++;
        const after = await snapshot(c);
        if (JSON.stringify(after) !== JSON.stringify(before))
          fail(`a refusal changed ${JSON.stringify(before)} into ${JSON.stringify(after)}`);
      }
      // Invariants: every commitment and occurrence as the model says; the history chain verifies.
      for (const m of commitments) {
        const s = await snapshot(m);
        if (s.row.status !== m.status) fail(`commitment ${m.id} is ${s.row.status}, the model says ${m.status}`);
        for (const o of s.occurrences as { date: string; status: S }[])
          if (m.occurrences.get(o.date) !== o.status)
            fail(`occurrence ${o.date} is ${o.status}, the model says ${m.occurrences.get(o.date)}`);
      }
      const verify = await t.http().get(`/memoranda/${id}/history/verify`).set(person(tz, 'internal-policy').auth);
      if (verify.status !== 200 || verify.body.valid !== true)
        fail(`history does not verify: ${JSON.stringify(verify.body)}`);
    }
  }

  const stepArb: fc.Arbitrary<Step> = fc.record({
    fit: fc.boolean(),
    actor: fc.integer({ min: 0, max: 7 }),
    commitment: fc.integer({ min: 0, max: 2 }),
    action: fc.constantFrom<Action>('start', 'complete', 'complete', 'complete', 'cancel'),
    occurrence: fc.oneof(
      { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('real' as const), index: fc.nat(40) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'unknown' as const }) },
    ),
  });
  const property = fc.asyncProperty(
    fc.array(stepArb, { minLength: Math.min(15, MAX_STEPS), maxLength: MAX_STEPS }),
    run,
  );

  itFollowsTheModel(property, { fixedSeed: FIXED_SEED, runs: RUNS, timeoutMs: TIMEOUT });
});
