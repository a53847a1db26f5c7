/**
 * The revision diff bounds its work: the worst cases of the security review (3,000 against 3,000
 * distinct lines, 8,000, and a body at the 500,000-character limit) answer with counts and no
 * line-by-line patch, while /health keeps answering. Times are printed, not asserted.
 */
import { Role } from '@kelisim/identity';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('revision diff of very different revisions', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let reps: TestUser[];
  let orgIds: string[];

  beforeAll(async () => {
    t = await startTestApp();
    orgIds = [(await createOrganisation(t, 'Қоғамдық келісім')).id, (await createOrganisation(t, 'Жас Отан')).id];
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'c@kelisim.test',
      organisationId: orgIds[0],
      roles: [Role.Coordinator, Role.PartyRepresentative],
    });
    reps = [
      coordinator,
      await createUser(t, {
        fullName: 'Айгүл Нұрлан',
        email: 'r@jasotan.test',
        organisationId: orgIds[1],
        roles: [Role.PartyRepresentative],
      }),
    ];
  });
  afterAll(() => t?.close());

  const text = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join('\n');

  /** Revision 1 with body `first`, revision 2 with body `second`, both frozen. */
  async function twoRevisions(first: string, second: string): Promise<string> {
    const created = await t
      .http()
      .post('/memoranda')
      .set(coordinator.auth)
      .send({ title: 'Diff', purpose: 'p', body: first, language: 'kk', coordinatingOrganisationId: orgIds[0] });
    expect(created.status).toBe(201);
    const id = created.body.id;
    for (const organisationId of orgIds)
      await t
        .http()
        .post(`/memoranda/${id}/parties`)
        .set(coordinator.auth)
        .send({ organisationId, role: 'signatory' })
        .expect(201);
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({});
    const changes = await t
      .http()
      .post(`/memoranda/${id}/approvals`)
      .set(reps[1].auth)
      .send({ decision: 'request_changes', revisionHash: submitted.body.currentRevision.hash, comment: 'Басқа мәтін' });
    expect(changes.status).toBe(201);
    const version = (await t.http().get(`/memoranda/${id}`).set(coordinator.auth)).body.version;
    expect(
      (await t.http().patch(`/memoranda/${id}`).set(coordinator.auth).send({ body: second, version })).status,
    ).toBe(200);
    expect((await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({})).status).toBe(200);
    return id;
  }

  it.each([
    ['3,000 against 3,000 distinct lines', 3000, 3000],
    ['8,000 against 8,000', 8000, 8000],
    ['bodies near the 500,000-character limit', 55_000, 55_000],
  ])('%s: counts without a line-by-line patch, and /health answers meanwhile', async (_name, n, m) => {
    const id = await twoRevisions(text(n, 'a'), text(m, 'b'));
    const started = Date.now();
    const diffs = [1, 2, 3].map(() =>
      t
        .http()
        .get(`/memoranda/${id}/revisions/1/diff/2`)
        .set(coordinator.auth)
        .then((r) => ({ r, at: Date.now() })),
    );
    const health = await t.http().get('/health');
    const results = await Promise.all(diffs);
    expect(health.status).toBe(200);
    for (const { r } of results) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ identical: false, lineByLine: false, added: m, removed: n, patch: null });
    }
    console.log(
      `diff ${n}/${m} lines: three concurrent answers in ${Math.max(...results.map((x) => x.at)) - started} ms`,
    );
  });

  it('revisions that differ in a few lines are still shown line by line', async () => {
    const base = text(2000, 'l');
    const id = await twoRevisions(base, base.replace('l1000\n', 'l1000 (edited)\n'));
    const res = await t.http().get(`/memoranda/${id}/revisions/1/diff/2`).set(coordinator.auth);
    expect(res.body).toMatchObject({ lineByLine: true, added: 1, removed: 1 });
    expect(res.body.patch).toContain('-l1000\n+l1000 (edited)\n');
  });
});
