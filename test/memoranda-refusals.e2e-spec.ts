import { Role } from '@kelisim/identity';
import { createOrganisation, createUser } from './support/identity';
import {
  addPerson,
  createTaraz,
  draftTarazMemorandum,
  footprint,
  getMemorandum,
  moveClock,
  person,
  SIGNATORY_KEYS,
  Taraz,
} from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';
import type { Response } from 'supertest';

/** Bad input and access: each refusal has the right status and code, and writes nothing. */
describe('memoranda: refusals write nothing (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let hash: string;

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    await moveClock(t, tz, '2021-09-25T10:00:00+06:00');
    id = await draftTarazMemorandum(t, tz);
  });
  afterAll(() => t?.close());

  /** Runs the request and checks its status/code and that the memorandum's rows did not change. */
  async function refused(req: () => Promise<Response>, status: number, code?: string): Promise<Response> {
    const before = await footprint(t, id);
    const res = await req();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code: code ?? res.body.code });
    expect(await footprint(t, id)).toEqual(before);
    return res;
  }

  const coordinator = () => person(tz, 'kelisim');
  const post = (path: string, who: { auth: Record<string, string> }, body: object) => () =>
    t.http().post(`/memoranda/${id}${path}`).set(who.auth).send(body);

  it('refuses bad drafts: unknown fields, wrong zone, inverted term, a missing or stale version, another organisation', async () => {
    const c = coordinator();
    const m = await getMemorandum(t, id, c);
    await refused(
      () => t.http().patch(`/memoranda/${id}`).set(c.auth).send({ version: m.version, colour: 'blue' }),
      400,
      'validation_failed',
    );
    await refused(
      () => t.http().patch(`/memoranda/${id}`).set(c.auth).send({ version: m.version, timeZone: '+05:00' }),
      422,
      'invalid_terms',
    );
    const inverted = await refused(
      () => t.http().patch(`/memoranda/${id}`).set(c.auth).send({ version: m.version, endDate: '2021-01-01' }),
      422,
      'invalid_terms',
    );
    expect(inverted.body.errors).toEqual([{ field: 'endDate', message: 'must be after effectiveDate' }]);
    await refused(
      () => t.http().patch(`/memoranda/${id}`).set(c.auth).send({ title: 'Без версии' }),
      428,
      'version_required',
    );
    const stale = await refused(
      () =>
        t
          .http()
          .patch(`/memoranda/${id}`)
          .set(c.auth)
          .set('If-Match', String(m.version - 1))
          .send({ title: 'Старая версия' }),
      409,
      'stale_version',
    );
    expect(stale.body.details).toEqual({ currentVersion: m.version, givenVersion: m.version - 1 });
    await refused(
      () => t.http().patch(`/memoranda/${id}`).set(c.auth).send({ version: m.version, title: null }),
      400,
      'validation_failed',
    );

    // A coordinator of a party organisation acts for the coordinating one: 403.
    const otherCoordinator = await addPerson(t, tz, 'youth-office', 'Other Coordinator', [Role.Coordinator]);
    await refused(
      () => t.http().patch(`/memoranda/${id}`).set(otherCoordinator.auth).send({ version: m.version, title: 'Чужой' }),
      403,
      'not_coordinator',
    );
    await refused(post('/withdraw', otherCoordinator, { reason: 'чужими руками' }), 403, 'not_coordinator');
    const foreign = await t
      .http()
      .post('/memoranda')
      .set(otherCoordinator.auth)
      .send({ title: 'X', purpose: 'Y', body: 'Z', language: 'kk', coordinatingOrganisationId: tz.kelisim.id });
    expect(foreign.status).toBe(403);
    // An unrelated organisation does not even see it.
    const outsiderOrg = await createOrganisation(t, 'Посторонняя организация');
    const outsider = await createUser(t, {
      fullName: 'Outsider',
      email: 'outsider@example.kz',
      organisationId: outsiderOrg.id,
      roles: [Role.Coordinator, Role.PartyRepresentative, Role.Signatory],
    });
    await refused(() => t.http().get(`/memoranda/${id}`).set(outsider.auth), 404, 'not_found');
    await refused(
      () => t.http().patch(`/memoranda/${id}`).set(outsider.auth).send({ version: m.version, title: 'Чужой' }),
      404,
      'not_found',
    );
    await refused(() => t.http().get(`/memoranda/${id}/history`).set(outsider.auth), 404, 'not_found');
  });

  it('refuses a party twice, an unknown organisation, signatories of another organisation, and a submit with too few signatory parties', async () => {
    const c = coordinator();
    await refused(post('/parties', c, { organisationId: tz['jas-otan'].id, role: 'signatory' }), 409, 'party_exists');
    await refused(
      post('/parties', c, { organisationId: '00000000-0000-4000-8000-000000000000', role: 'signatory' }),
      422,
      'organisation_not_found',
    );
    await refused(
      post('/parties', c, {
        organisationId: tz['internal-policy'].id,
        role: 'signatory',
        signatoryUserIds: [person(tz, 'jas-otan').id],
      }),
      422,
      'invalid_signatory',
    );
    await refused(
      post('/parties', c, { organisationId: tz['internal-policy'].id, role: 'chairman' }),
      400,
      'validation_failed',
    );

    const small = await t.http().post('/memoranda').set(c.auth).send({
      title: 'Один участник',
      purpose: 'p',
      body: 'b',
      language: 'ru',
      coordinatingOrganisationId: tz.kelisim.id,
    });
    await t
      .http()
      .post(`/memoranda/${small.body.id}/parties`)
      .set(c.auth)
      .send({ organisationId: tz['jas-otan'].id, role: 'signatory' })
      .expect(201);
    const res = await t.http().post(`/memoranda/${small.body.id}/submit`).set(c.auth).send({});
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('too_few_signatory_parties');
    expect((await getMemorandum(t, small.body.id, c)).status).toBe('draft');
  });

  it('refuses review mistakes: wrong state, observer deciding, stale hash, missing comment, deciding twice, editing a submitted revision', async () => {
    const c = coordinator();
    const early = await refused(
      post('/approvals', person(tz, 'jas-otan'), { decision: 'approve', revisionHash: 'f'.repeat(64) }),
      409,
      'invalid_transition',
    );
    expect(early.body.details).toEqual({ state: 'draft', allowedActions: ['edit', 'submit', 'withdraw'] });

    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(c.auth).send({});
    expect(submitted.status).toBe(200);
    hash = submitted.body.currentRevision.hash;

    const editing = await refused(
      () =>
        t
          .http()
          .patch(`/memoranda/${id}`)
          .set(c.auth)
          .send({ version: submitted.body.version, title: 'Поздняя правка' }),
      409,
      'invalid_transition',
    );
    expect(editing.body.details).toEqual({
      state: 'in_review',
      allowedActions: ['approve', 'request_changes', 'decline', 'comment', 'withdraw'],
    });
    await refused(
      post('/parties', c, { organisationId: tz['internal-policy'].id, role: 'observer' }),
      409,
      'invalid_transition',
    );

    await refused(
      post('/approvals', person(tz, 'assembly'), { decision: 'approve', revisionHash: hash }),
      403,
      'not_a_signatory_party',
    );
    await refused(
      post('/approvals', person(tz, 'dulaty'), { decision: 'decline', revisionHash: hash, comment: 'нет' }),
      403,
      'not_a_signatory_party',
    );
    await refused(
      post('/approvals', person(tz, 'internal-policy'), { decision: 'approve', revisionHash: hash }),
      403,
      'missing_role',
    );
    await refused(
      post('/approvals', person(tz, 'jas-otan'), { decision: 'approve', revisionHash: 'e'.repeat(64) }),
      409,
      'stale_revision',
    );
    await refused(
      post('/approvals', person(tz, 'jas-otan'), { decision: 'approve', revisionHash: 'not-a-hash' }),
      400,
      'validation_failed',
    );
    await refused(
      post('/approvals', person(tz, 'jas-otan'), { decision: 'decline', revisionHash: hash }),
      422,
      'comment_required',
    );
    await refused(
      post('/approvals', person(tz, 'jas-otan'), { decision: 'request_changes', revisionHash: hash, comment: '   ' }),
      422,
      'comment_required',
    );
    await refused(
      post('/approvals', person(tz, 'jas-otan'), { decision: 'maybe', revisionHash: hash }),
      400,
      'validation_failed',
    );

    await t
      .http()
      .post(`/memoranda/${id}/approvals`)
      .set(person(tz, 'jas-otan').auth)
      .send({ decision: 'approve', revisionHash: hash })
      .expect(201);
    await refused(
      post('/approvals', person(tz, 'jas-otan'), { decision: 'approve', revisionHash: hash }),
      409,
      'already_decided',
    );
    await refused(
      post('/approvals', person(tz, 'jas-otan'), { decision: 'decline', revisionHash: hash, comment: 'передумали' }),
      409,
      'already_decided',
    );
    await refused(post('/open-signing', c, { mode: 'parallel' }), 409, 'invalid_transition');
  });

  it("refuses signing mistakes: non-signatories, the wrong name, no consent, a stale hash, the other method's fields, signing twice", async () => {
    const c = coordinator();
    for (const k of SIGNATORY_KEYS.filter((x) => x !== 'jas-otan')) {
      await t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(person(tz, k).auth)
        .send({ decision: 'approve', revisionHash: hash })
        .expect(201);
    }
    await refused(
      post('/signatures', person(tz, 'jas-otan'), {
        method: 'electronic',
        revisionHash: hash,
        typedName: person(tz, 'jas-otan').fullName,
        consent: true,
      }),
      409,
      'invalid_transition',
    );
    await t.http().post(`/memoranda/${id}/open-signing`).set(c.auth).send({ mode: 'parallel' }).expect(200);

    const signer = person(tz, 'jas-otan');
    const good = { method: 'electronic', revisionHash: hash, typedName: signer.fullName, consent: true };
    await refused(post('/signatures', person(tz, 'dulaty'), good), 403, 'missing_role'); // party_representative only
    const witnessSigner = await addPerson(t, tz, 'dulaty', 'Witness Signatory', [Role.Signatory]);
    await refused(
      post('/signatures', witnessSigner, { ...good, typedName: 'Witness Signatory' }),
      403,
      'not_a_signatory_party',
    );
    const coordinatorOnly = await addPerson(t, tz, 'kelisim', 'Coordinator Only', [Role.Coordinator]);
    await refused(
      post('/signatures', coordinatorOnly, { ...good, typedName: 'Coordinator Only' }),
      403,
      'missing_role',
    );
    await refused(
      post('/signatures', person(tz, 'youth-office'), {
        method: 'in_person',
        revisionHash: hash,
        organisationId: tz['jas-otan'].id,
        signerName: 'X',
        signedAt: '2021-09-24T11:00:00+06:00',
        place: 'Тараз',
        evidence: { reference: 'r', sha256: 'a'.repeat(64) },
      }),
      403,
      'not_coordinator',
    );
    await refused(post('/signatures', signer, { ...good, typedName: 'Болатбек Уали' }), 422, 'typed_name_mismatch');
    await refused(post('/signatures', signer, { ...good, consent: false }), 400, 'validation_failed');
    await refused(
      post('/signatures', signer, { method: 'electronic', revisionHash: hash, typedName: signer.fullName }),
      400,
      'validation_failed',
    );
    await refused(post('/signatures', signer, { ...good, place: 'Тараз' }), 400, 'validation_failed');
    await refused(post('/signatures', signer, { ...good, revisionHash: 'b'.repeat(64) }), 409, 'stale_revision');
    await refused(
      post('/signatures', c, {
        method: 'in_person',
        revisionHash: hash,
        organisationId: tz.assembly.id,
        signerName: 'Наблюдатель',
        signedAt: '2021-09-24T11:00:00+06:00',
        place: 'Тараз',
        evidence: { reference: 'r', sha256: 'a'.repeat(64) },
      }),
      403,
      'not_a_signatory_party',
    );
    await refused(
      post('/signatures', c, {
        method: 'in_person',
        revisionHash: hash,
        organisationId: tz['jas-otan'].id,
        signerName: 'Болатбек Уәли',
        signedAt: 'yesterday',
        place: 'Тараз',
        evidence: { reference: 'r', sha256: 'a'.repeat(64) },
      }),
      400,
      'validation_failed',
    );

    await refused(
      post('/signatures', c, {
        method: 'in_person',
        revisionHash: hash,
        organisationId: tz['jas-otan'].id,
        signerName: 'Болатбек Уәли',
        signedAt: '2030-01-01T11:00:00+06:00',
        place: 'Тараз',
        evidence: { reference: 'r', sha256: 'a'.repeat(64) },
      }),
      422,
      'signed_in_future',
    );

    await t.http().post(`/memoranda/${id}/signatures`).set(signer.auth).send(good).expect(201);
    await refused(post('/signatures', signer, good), 409, 'already_signed');
    await refused(
      post('/signatures', c, {
        method: 'in_person',
        revisionHash: hash,
        organisationId: tz['jas-otan'].id,
        signerName: 'Другой Подписант',
        signedAt: '2021-09-24T11:00:00+06:00',
        place: 'Тараз',
        evidence: { reference: 'r', sha256: 'a'.repeat(64) },
      }),
      409,
      'party_signatures_complete',
    );
  });

  it('ordered review: a party decides only after every signatory party before it approved', async () => {
    const c = coordinator();
    const ordered = await draftTarazMemorandum(t, tz, { title: 'Ordered review' });
    const m = await getMemorandum(t, ordered, c);
    await t
      .http()
      .patch(`/memoranda/${ordered}`)
      .set(c.auth)
      .set('If-Match', String(m.version))
      .send({ orderedReview: true })
      .expect(200);
    const submitted = await t.http().post(`/memoranda/${ordered}/submit`).set(c.auth).send({});
    const h = submitted.body.currentRevision.hash;
    const before = await footprint(t, ordered);
    const early = await t
      .http()
      .post(`/memoranda/${ordered}/approvals`)
      .set(person(tz, 'zhangyru').auth)
      .send({ decision: 'approve', revisionHash: h });
    expect([early.status, early.body.code]).toEqual([409, 'not_your_turn']);
    expect(await footprint(t, ordered)).toEqual(before);
    // Observers may comment at any time.
    await t
      .http()
      .post(`/memoranda/${ordered}/approvals`)
      .set(person(tz, 'assembly').auth)
      .send({ decision: 'comment', revisionHash: h, comment: 'Поддерживаем' })
      .expect(201);
    for (const k of SIGNATORY_KEYS)
      await t
        .http()
        .post(`/memoranda/${ordered}/approvals`)
        .set(person(tz, k).auth)
        .send({ decision: 'approve', revisionHash: h })
        .expect(201);
    expect((await getMemorandum(t, ordered, c)).status).toBe('approved');
  });

  it('refuses withdraw without a reason, terminate/renew/amend before active, and withdraws with a reason', async () => {
    const c = coordinator();
    await refused(post('/withdraw', c, {}), 422, 'reason_required');
    await refused(post('/withdraw', c, { reason: '  ' }), 422, 'reason_required');
    await refused(post('/terminate', c, { reason: 'рано' }), 409, 'invalid_transition');
    await refused(post('/renew', c, { endDate: '2030-01-01' }), 409, 'invalid_transition');
    await refused(post('/renew', c, { endDate: '2030-02-30' }), 400, 'validation_failed');
    await refused(post('/amendments', c, {}), 409, 'invalid_transition');
    await refused(post('/withdraw', person(tz, 'jas-otan'), { reason: 'не координатор' }), 403, 'missing_role');

    const res = await t
      .http()
      .post(`/memoranda/${id}/withdraw`)
      .set(c.auth)
      .send({ reason: 'Стороны договорились подписать новый текст' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', allowedActions: [] });
    await refused(post('/withdraw', c, { reason: 'ещё раз' }), 409, 'invalid_transition');
    const [event] = await t.db.query(
      `SELECT reason, to_status FROM history_events WHERE memorandum_id = $1 AND action = 'withdraw'`,
      [id],
    );
    expect(event).toEqual({ reason: 'Стороны договорились подписать новый текст', to_status: 'withdrawn' });
  });
});
