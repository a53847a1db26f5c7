/**
 * "Waiting for you" (GET /me/waiting) through the real API, lifecycle and PostgreSQL: after every step of a
 * memorandum's life, exactly what each person's home lists — the coordinator's drafts to submit or revise and
 * memoranda to open for signing, the representatives' revisions to decide on (in turn), the signatories' signatures
 * (named signatories, in turn), the party's commitment dates due today or overdue — and nothing of memoranda they
 * may not see.
 */
import { Language, Role } from '@kelisim/identity';
import { createOrganisation, createUser, login, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

interface Item {
  kind: string;
  memorandumId: string;
  memorandumTitle: string;
  state: string;
  revisionNumber: number | null;
  organisationId: string | null;
  commitmentTitle: string | null;
  date: string | null;
}

describe('waiting for you: what each person must do now (GET /me/waiting)', () => {
  let t: TestApp;
  const people: Record<string, TestUser> = {};
  const orgs: Record<string, string> = {};
  let id: string;
  let hash: string;

  beforeAll(async () => {
    t = await startTestApp();
    for (const key of ['coord', 'a', 'b', 'w', 'other']) orgs[key] = (await createOrganisation(t, `Org ${key}`)).id;
    const add = async (key: string, org: string, roles: Role[]) => {
      people[key] = await createUser(t, {
        fullName: key,
        email: `${key.toLowerCase()}@waiting.test`,
        organisationId: orgs[org],
        roles,
        language: Language.Russian,
      });
    };
    await add('coord1', 'coord', [Role.Coordinator]);
    await add('repA', 'a', [Role.PartyRepresentative]);
    await add('sigA', 'a', [Role.Signatory]);
    await add('sigA2', 'a', [Role.Signatory]);
    await add('repB', 'b', [Role.PartyRepresentative]);
    await add('sigB', 'b', [Role.Signatory, Role.PartyRepresentative]);
    await add('repW', 'w', [Role.PartyRepresentative, Role.Signatory]);
    await add('otherCoord', 'other', [Role.Coordinator, Role.PartyRepresentative, Role.Signatory]);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Logs in again each time: sessions expire as the test clock moves. */
  const as = async (who: string) => ({ Authorization: `Bearer ${await login(t, people[who].email)}` });
  const waiting = async (who: string): Promise<Item[]> => {
    const res = await t
      .http()
      .get('/me/waiting')
      .set(await as(who));
    expect(res.status).toBe(200);
    return res.body.items;
  };
  /** Kinds of what waits for `who` about the memorandum under test. */
  const kinds = async (who: string) => (await waiting(who)).filter((i) => i.memorandumId === id).map((i) => i.kind);
  const post = async (who: string, path: string, body: Record<string, unknown>, status = 200) => {
    const res = await t
      .http()
      .post(path)
      .set(await as(who))
      .send(body);
    expect([res.status, res.body.message]).toEqual([status, undefined]);
    t.clock.advance(60_000);
    return res.body;
  };
  const decide = async (who: string, decision: string) =>
    post(
      who,
      `/memoranda/${id}/approvals`,
      { decision, revisionHash: hash, ...(decision === 'approve' ? {} : { comment: 'Add the dates' }) },
      201,
    );
  const sign = async (who: string) =>
    post(
      who,
      `/memoranda/${id}/signatures`,
      { method: 'electronic', revisionHash: hash, typedName: who, consent: true },
      201,
    );

  it('without a session: 401', async () => {
    expect((await t.http().get('/me/waiting')).status).toBe(401);
  });

  it('a draft: the coordinator is to submit it; nobody else waits, another coordinator sees none of it', async () => {
    const created = await post(
      'coord1',
      '/memoranda',
      {
        title: 'Бірлік',
        purpose: 'Youth and accord',
        body: 'The parties agree to cooperate.',
        language: 'ru',
        timeZone: 'Asia/Almaty',
        coordinatingOrganisationId: orgs.coord,
        effectiveDate: '2021-09-20',
        endDate: '2024-09-30',
        orderedReview: true,
      },
      201,
    );
    id = created.id;
    for (const [org, role, order, named] of [
      ['a', 'signatory', 1, [people.sigA.id]],
      ['b', 'signatory', 2, []],
      ['w', 'witness', 3, []],
    ] as const)
      await post(
        'coord1',
        `/memoranda/${id}/parties`,
        {
          organisationId: orgs[org],
          role,
          order,
          ...(named.length ? { signatoryUserIds: named } : {}),
        },
        201,
      );
    const [draft] = await waiting('coord1');
    expect(draft).toMatchObject({
      kind: 'submit',
      memorandumId: id,
      memorandumTitle: 'Бірлік',
      state: 'draft',
      revisionNumber: 1,
      organisationId: null,
    });
    for (const who of ['repA', 'sigA', 'repB', 'repW', 'otherCoord']) expect(await kinds(who)).toEqual([]);
  });

  it('submitted in ordered review: the first party decides; the second waits for its turn; the witness is not asked', async () => {
    hash = (await post('coord1', `/memoranda/${id}/submit`, {})).currentRevision.hash;
    expect(await kinds('coord1')).toEqual([]);
    expect(await kinds('repA')).toEqual(['approve']);
    expect(await kinds('repB')).toEqual([]);
    expect(await kinds('repW')).toEqual([]);
    expect(await kinds('sigA')).toEqual([]);
    await decide('repA', 'approve');
    expect(await kinds('repA')).toEqual([]);
    expect(await kinds('repB')).toEqual(['approve']);
    // sigB is a representative too: the same organisation's decision waits for them.
    expect(await kinds('sigB')).toEqual(['approve']);
  });

  it('changes requested: the coordinator is to revise, naming the party; resubmitted: the parties again', async () => {
    await decide('repB', 'request_changes');
    const items = (await waiting('coord1')).filter((i) => i.memorandumId === id);
    expect(items).toEqual([expect.objectContaining({ kind: 'revise', state: 'draft', organisationId: orgs.b })]);
    expect(await kinds('repB')).toEqual([]);
    hash = (await post('coord1', `/memoranda/${id}/submit`, {})).currentRevision.hash;
    expect(await kinds('coord1')).toEqual([]);
    expect(await kinds('repA')).toEqual(['approve']);
    expect((await waiting('repA'))[0].revisionNumber).toBe(2);
    expect(await kinds('repB')).toEqual([]);
  });

  it('approved by every party: the coordinator is to open signing', async () => {
    await decide('repA', 'approve');
    await decide('repB', 'approve');
    expect(await kinds('coord1')).toEqual(['open_signing']);
    expect(await kinds('repA')).toEqual([]);
  });

  it('sequential signing: the named signatory of the first party, then the next party’s signatories', async () => {
    await post('coord1', `/memoranda/${id}/open-signing`, { mode: 'sequential' });
    expect(await kinds('coord1')).toEqual([]);
    expect(await kinds('sigA')).toEqual(['sign']);
    // Party A names sigA: sigA2 is not asked. Party B's turn has not come. The witness does not sign.
    expect(await kinds('sigA2')).toEqual([]);
    expect(await kinds('sigB')).toEqual([]);
    expect(await kinds('repW')).toEqual([]);
    await sign('sigA');
    expect(await kinds('sigA')).toEqual([]);
    expect(await kinds('sigB')).toEqual(['sign']);
    await sign('sigB');
    for (const who of ['coord1', 'repA', 'sigA', 'sigB', 'repB']) expect(await kinds(who)).toEqual([]);
    const memo = await t
      .http()
      .get(`/memoranda/${id}`)
      .set(await as('coord1'));
    expect(memo.body.status).toBe('active');
  });

  it('commitment dates: due today, then overdue, for the responsible party only; done dates leave the list', async () => {
    const today = await post(
      'coord1',
      `/memoranda/${id}/commitments`,
      { title: 'Бірлік күні', leadOrganisationId: orgs.a, dueDate: '2021-09-20' },
      201,
    );
    await post(
      'coord1',
      `/memoranda/${id}/commitments`,
      { title: 'Зерттеу', leadOrganisationId: orgs.b, organisationIds: [orgs.a], dueDate: '2021-09-21' },
      201,
    );
    const due = (await waiting('repA')).filter((i) => i.memorandumId === id);
    expect(due).toEqual([
      expect.objectContaining({
        kind: 'commitment_due',
        commitmentTitle: 'Бірлік күні',
        date: '2021-09-20',
        organisationId: orgs.a,
        state: 'active',
      }),
    ]);
    // Not the coordinator's organisation's date, nor a signatory's to act on.
    expect(await kinds('coord1')).toEqual([]);
    expect(await kinds('repB')).toEqual([]);
    expect(await kinds('otherCoord')).toEqual([]);

    // Two days later in Almaty: both dates are past, A shares the second (co-responsible).
    t.clock.set('2021-09-22T10:00:00+06:00');
    const later = (await waiting('repA')).filter((i) => i.memorandumId === id);
    expect(later.map((i) => [i.kind, i.commitmentTitle, i.date])).toEqual([
      ['commitment_overdue', 'Бірлік күні', '2021-09-20'],
      ['commitment_overdue', 'Зерттеу', '2021-09-21'],
    ]);
    expect((await waiting('repB')).map((i) => i.commitmentTitle)).toEqual(['Зерттеу']);

    await post('repA', `/commitments/${today.id}/complete`, { occurrenceDate: '2021-09-20' });
    expect((await waiting('repA')).map((i) => i.commitmentTitle)).toEqual(['Зерттеу']);
  });
});
