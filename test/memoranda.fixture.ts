/**
 * The Taraz seed (apps/cli/src/demo/taraz-memorandum.ts) as live data for the memoranda e2e
 * tests: its organisations and people made through the real services and logged in, and its
 * memorandum drafted through the HTTP API by the coordinator.
 */
import { Language, OrganisationKind, Role } from '@kelisim/identity';
import { TARAZ_MEMORANDUM, TARAZ_ORGANISATIONS, tarazMemorandumText } from '../apps/cli/src/demo/taraz-memorandum';
import { createOrganisation, createUser, login, superviseEverything, TestUser } from './support/identity';
import { TestApp } from './support/test-app';
import { Memorandum, MemorandumParty, MemorandumStatus, PartyRole } from '@kelisim/memoranda';

export type Person = TestUser & { fullName: string; roles: Role[] };
export interface TarazOrg {
  id: string;
  key: string;
  partyRole: string;
  people: Person[];
}
export type Taraz = Record<string, TarazOrg>;

export const SIGNATORY_KEYS = ['kelisim', 'youth-office', 'zhangyru', 'jas-otan', 'zhas-ulan'];

export async function createTaraz(t: TestApp): Promise<Taraz> {
  const out: Taraz = {};
  for (const o of TARAZ_ORGANISATIONS) {
    const org = await createOrganisation(t, o.name, o.kind as OrganisationKind, o.language as Language);
    const people: Person[] = [];
    for (const p of o.people) {
      const roles = p.roles as Role[];
      const u = await createUser(t, {
        fullName: p.fullName,
        email: p.email,
        organisationId: org.id,
        roles,
        language: p.language as Language,
      });
      // The region's supervisor plays the national one: every memorandum (tests narrow it where they mean to).
      if (roles.includes(Role.Supervisor)) await superviseEverything(t, u);
      people.push({ ...u, fullName: p.fullName, roles });
    }
    out[o.key] = { id: org.id, key: o.key, partyRole: o.partyRole, people };
  }
  return out;
}

/** Moves the test clock and logs everyone in again (sessions expire as time moves). */
export async function moveClock(t: TestApp, tz: Taraz, at: string): Promise<void> {
  t.clock.set(at);
  for (const org of Object.values(tz)) {
    for (const p of org.people) {
      p.token = await login(t, p.email);
      p.auth = { Authorization: `Bearer ${p.token}` };
    }
  }
}

export const person = (tz: Taraz, key: string): Person => tz[key].people[0];

/** Another user in a seed organisation (e.g. a second signatory, or a user with only one role). */
export async function addPerson(t: TestApp, tz: Taraz, key: string, fullName: string, roles: Role[]): Promise<Person> {
  const email = `${fullName.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${Math.random().toString(36).slice(2, 8)}@${key}.example.kz`;
  const u = await createUser(t, { fullName, email, organisationId: tz[key].id, roles });
  const p = { ...u, fullName, roles };
  tz[key].people.push(p);
  return p;
}

/** Drafts the seed memorandum with its seven parties (5 signatory, witness, observer); answers its id. */
export async function draftTarazMemorandum(
  t: TestApp,
  tz: Taraz,
  options: { effectiveDate?: string; endDate?: string; title?: string } = {},
): Promise<string> {
  const coordinator = person(tz, 'kelisim');
  const res = await t
    .http()
    .post('/memoranda')
    .set(coordinator.auth)
    .send({
      title: options.title ?? TARAZ_MEMORANDUM.title,
      purpose: TARAZ_MEMORANDUM.purpose,
      body: tarazMemorandumText(),
      language: TARAZ_MEMORANDUM.language,
      timeZone: TARAZ_MEMORANDUM.timeZone,
      effectiveDate: options.effectiveDate ?? TARAZ_MEMORANDUM.effectiveDate,
      endDate: options.endDate ?? TARAZ_MEMORANDUM.endDate,
      coordinatingOrganisationId: tz.kelisim.id,
    });
  if (res.status !== 201) throw new Error(`create memorandum: ${res.status} ${JSON.stringify(res.body)}`);
  const id: string = res.body.id;
  const parties: Array<[string, string]> = [
    ...SIGNATORY_KEYS.map((k) => [k, 'signatory'] as [string, string]),
    ['dulaty', 'witness'],
    ['assembly', 'observer'],
  ];
  for (const [key, role] of parties) {
    const added = await t
      .http()
      .post(`/memoranda/${id}/parties`)
      .set(coordinator.auth)
      .send({ organisationId: tz[key].id, role });
    if (added.status !== 201) throw new Error(`add party ${key}: ${added.status} ${JSON.stringify(added.body)}`);
  }
  return id;
}

export async function getMemorandum(t: TestApp, id: string, who: TestUser) {
  const res = await t.http().get(`/memoranda/${id}`).set(who.auth);
  if (res.status !== 200) throw new Error(`get memorandum: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Submits and has every signatory party approve: the memorandum ends `approved`. */
export async function submitAndApprove(t: TestApp, tz: Taraz, id: string): Promise<string> {
  const submitted = await t.http().post(`/memoranda/${id}/submit`).set(person(tz, 'kelisim').auth).send({});
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const hash: string = submitted.body.currentRevision.hash;
  for (const key of SIGNATORY_KEYS) {
    const res = await t
      .http()
      .post(`/memoranda/${id}/approvals`)
      .set(person(tz, key).auth)
      .send({ decision: 'approve', revisionHash: hash });
    if (res.status !== 201) throw new Error(`approve ${key}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return hash;
}

/** What a refused request must not have changed. */
export async function footprint(t: TestApp, id: string) {
  const [row] = await t.db.query(
    `SELECT (SELECT count(*)::int FROM memorandum_approvals WHERE memorandum_id = $1) AS approvals,
            (SELECT count(*)::int FROM memorandum_signatures WHERE memorandum_id = $1) AS signatures,
            (SELECT count(*)::int FROM memorandum_revisions WHERE memorandum_id = $1) AS revisions,
            (SELECT count(*)::int FROM memorandum_parties WHERE memorandum_id = $1) AS parties,
            (SELECT count(*)::int FROM history_events WHERE memorandum_id = $1) AS history,
            (SELECT count(*)::int FROM outbox_events WHERE aggregate_id = $1) AS outbox,
            (SELECT status || '/' || version FROM memoranda WHERE id = $1) AS state`,
    [id],
  );
  return row as Record<string, number | string>;
}

/**
 * A real memorandum in review (rows in `memoranda` and `memorandum_parties`, no revision or history)
 * for the tests of what follows the lifecycle's events — reminders, notifications, faults — which
 * then record those events in the outbox themselves. One signatory party, the coordinating
 * organisation not among the parties, so each event schedules one series.
 */
export async function memorandumInReview(
  t: TestApp,
  input: { title: string; coordinatingOrganisationId: string; partyOrganisationId: string },
): Promise<string> {
  const now = t.clock.now();
  const memorandum = await t.db.getRepository(Memorandum).save(
    t.db.getRepository(Memorandum).create({
      title: input.title,
      purpose: 'p',
      body: 'b',
      language: 'en',
      timeZone: 'Asia/Almaty',
      effectiveDate: null,
      endDate: null,
      coordinatingOrganisationId: input.coordinatingOrganisationId,
      status: MemorandumStatus.InReview,
      amendmentStatus: null,
      orderedReview: false,
      version: 1,
      currentRevisionNumber: 1,
      executedRevisionNumber: null,
      createdByUserId: null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  await t.db.getRepository(MemorandumParty).insert({
    memorandumId: memorandum.id,
    organisationId: input.partyOrganisationId,
    role: PartyRole.Signatory,
    order: 1,
    requiredSignatures: 1,
    signatoryUserIds: [],
    createdAt: now,
  });
  return memorandum.id;
}

/**
 * The seed memorandum's real follow-up as commitments of its draft: joint events for unity and
 * accord every quarter (lead: the youth policy office, with "Jas Otan" and "Zhas Ulan"), an
 * exchange of experience every half year (lead: "Jas Otan"), and a joint study with the
 * university (lead: Qogamdyq kelisim, with the Dulaty university as witness party). Answers their ids in that order.
 */
export async function addTarazCommitments(t: TestApp, tz: Taraz, id: string): Promise<string[]> {
  const coordinator = person(tz, 'kelisim');
  const [events, exchange, study] = TARAZ_MEMORANDUM.commitments;
  const bodies = [
    {
      ...events,
      clauseRef: 'п. 2.1',
      leadOrganisationId: tz['youth-office'].id,
      organisationIds: [tz['jas-otan'].id, tz['zhas-ulan'].id],
      target: { quantity: 4, unit: 'совместных мероприятия в год' },
    },
    { ...exchange, clauseRef: 'п. 2.2', leadOrganisationId: tz['jas-otan'].id, organisationIds: [tz.zhangyru.id] },
    {
      ...study,
      clauseRef: 'п. 2.3',
      description: 'Совместное исследование с Таразским университетом им. М.Х. Дулати',
      leadOrganisationId: tz.kelisim.id,
      organisationIds: [tz.dulaty.id],
    },
  ];
  const ids: string[] = [];
  for (const body of bodies) {
    const res = await t.http().post(`/memoranda/${id}/commitments`).set(coordinator.auth).send(body);
    if (res.status !== 201) throw new Error(`add commitment: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
  return ids;
}

/** Opens signing and has every signatory party sign electronically: executed, and active once the effective date is reached. */
export async function signByAll(t: TestApp, tz: Taraz, id: string, hash: string): Promise<void> {
  const opened = await t
    .http()
    .post(`/memoranda/${id}/open-signing`)
    .set(person(tz, 'kelisim').auth)
    .send({ mode: 'parallel' });
  if (opened.status !== 200) throw new Error(`open signing: ${opened.status} ${JSON.stringify(opened.body)}`);
  for (const key of SIGNATORY_KEYS) {
    const res = await t
      .http()
      .post(`/memoranda/${id}/signatures`)
      .set(person(tz, key).auth)
      .send({ method: 'electronic', revisionHash: hash, typedName: person(tz, key).fullName, consent: true });
    if (res.status !== 201) throw new Error(`sign ${key}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
