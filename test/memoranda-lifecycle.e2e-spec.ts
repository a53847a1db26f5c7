import { createHash } from 'node:crypto';
import { MemorandumTransitionsService } from '@kelisim/memoranda';
import { TARAZ_MEMORANDUM } from '../apps/cli/src/demo/taraz-memorandum';
import {
  createTaraz,
  draftTarazMemorandum,
  getMemorandum,
  moveClock,
  person,
  SIGNATORY_KEYS,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';

describe('memoranda: the Taraz memorandum from draft to active, through HTTP (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let tz: Taraz;

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
  });
  afterAll(() => t?.close());

  // One story in stages: each stage starts where the previous one left the memorandum.
  describe('drafted, reviewed with one round of changes, signed electronically and in person, active', () => {
    let coordinator: ReturnType<typeof person>;
    let id: string;
    let m: any;
    let title: string;
    let hash1: string;
    let hash2: string;
    let items: Array<{
      seq: number;
      prevHash: string;
      hash: string;
      action: string;
      toStatus: string;
      actor: { name: string } | null;
      requestId?: string;
    }>;

    it('drafts the Taraz memorandum with its seven parties; a draft edit keeps the Kazakh letters byte for byte', async () => {
      coordinator = person(tz, 'kelisim');
      id = await draftTarazMemorandum(t, tz);

      m = await getMemorandum(t, id, coordinator);
      expect(m).toMatchObject({
        status: 'draft',
        version: 8,
        currentRevision: { number: 1, hash: null },
        timeZone: 'Asia/Almaty',
        effectiveDate: '2021-09-28',
        endDate: '2024-09-28',
      });
      expect(m.parties.map((p: { role: string }) => p.role)).toEqual([
        'signatory',
        'signatory',
        'signatory',
        'signatory',
        'signatory',
        'witness',
        'observer',
      ]);
      expect(m.allowedActions).toEqual(['edit', 'submit', 'withdraw']);
      expect((await getMemorandum(t, id, person(tz, 'jas-otan'))).allowedActions).toEqual([]);
      expect(m.body).toContain('Жамбыл');

      // A draft edit with If-Match; the text keeps its Kazakh letters byte for byte.
      title = `${TARAZ_MEMORANDUM.title} — Жастар арасындағы көпжақты әріптестік`;
      const edited = await t
        .http()
        .patch(`/memoranda/${id}`)
        .set(coordinator.auth)
        .set('If-Match', String(m.version))
        .send({ title });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ title, version: m.version + 1 });
    });

    it('submits revision 1 frozen with its SHA-256; one party approves, another asks for changes: back to draft', async () => {
      // Submit: revision 1 is frozen with its SHA-256.
      const submitted = await t
        .http()
        .post(`/memoranda/${id}/submit`)
        .set(coordinator.auth)
        .set('X-Request-Id', 'submit-taraz-1')
        .send({});
      expect(submitted.status).toBe(200);
      expect(submitted.body.status).toBe('in_review');
      hash1 = submitted.body.currentRevision.hash;
      expect(hash1).toMatch(/^[0-9a-f]{64}$/);
      const rev1 = await t.http().get(`/memoranda/${id}/revisions/1`).set(person(tz, 'assembly').auth);
      expect(rev1.status).toBe(200);
      expect(rev1.body).toMatchObject({ number: 1, hash: hash1, title });
      expect(rev1.body.parties).toHaveLength(7);

      // One party approves, another requests changes: back to draft with a new working revision.
      const first = await t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(person(tz, 'youth-office').auth)
        .send({ decision: 'approve', revisionHash: hash1 });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        decision: 'approve',
        organisationId: tz['youth-office'].id,
        memorandumStatus: 'in_review',
      });
      const changes = await t.http().post(`/memoranda/${id}/approvals`).set(person(tz, 'zhangyru').auth).send({
        decision: 'request_changes',
        revisionHash: hash1,
        comment: 'Добавить пункт об обмене опытом между районами.',
      });
      expect(changes.status).toBe(201);
      expect(changes.body.memorandumStatus).toBe('draft');
      m = await getMemorandum(t, id, coordinator);
      expect(m).toMatchObject({ status: 'draft', currentRevision: { number: 2, hash: null } });
    });

    it('revises and resubmits: revision 2 has its own hash and a diff, and the approvals of revision 1 do not count for it', async () => {
      const body = `${m.body}\n6. Стороны обмениваются опытом между районами области не реже одного раза в полугодие.\n`;
      expect(
        (await t.http().patch(`/memoranda/${id}`).set(coordinator.auth).send({ body, version: m.version })).status,
      ).toBe(200);
      const resubmitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({});
      expect(resubmitted.status).toBe(200);
      hash2 = resubmitted.body.currentRevision.hash;
      expect(resubmitted.body.currentRevision.number).toBe(2);
      expect(hash2).not.toBe(hash1);

      const diff = await t.http().get(`/memoranda/${id}/revisions/1/diff/2`).set(coordinator.auth);
      expect(diff.status).toBe(200);
      expect(diff.body).toMatchObject({
        from: { number: 1, hash: hash1 },
        to: { number: 2, hash: hash2 },
        identical: false,
      });
      expect(diff.body.added).toBeGreaterThanOrEqual(1);
      expect(diff.body.patch).toContain('+6. Стороны обмениваются опытом между районами области');
      const revisions = await t.http().get(`/memoranda/${id}/revisions`).set(coordinator.auth);
      expect(revisions.body.items.map((r: { number: number; hash: string }) => [r.number, r.hash])).toEqual([
        [1, hash1],
        [2, hash2],
      ]);

      // The approval of revision 1 does not count for revision 2.
      const fresh = await t.http().get(`/memoranda/${id}/approvals`).set(coordinator.auth);
      expect(fresh.body.revisionNumber).toBe(2);
      expect(fresh.body.parties.every((p: { decision: string | null }) => p.decision === null)).toBe(true);
    });

    it('the witness comments and every signatory party approves revision 2: approved', async () => {
      // The witness comments; then every signatory party approves, the last one makes it approved.
      const comment = await t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(person(tz, 'dulaty').auth)
        .send({ decision: 'comment', revisionHash: hash2, comment: 'Университет готов предоставить площадку.' });
      expect(comment.status).toBe(201);
      for (const [i, key] of SIGNATORY_KEYS.entries()) {
        const res = await t
          .http()
          .post(`/memoranda/${id}/approvals`)
          .set(person(tz, key).auth)
          .send({ decision: 'approve', revisionHash: hash2 });
        expect(res.status).toBe(201);
        expect(res.body.memorandumStatus).toBe(i === SIGNATORY_KEYS.length - 1 ? 'approved' : 'in_review');
      }
    });

    it('signs at the ceremony, four on screen and one recorded in person: executed and, on the effective date, active', async () => {
      // Signing at the ceremony: four sign on screen, the coordinator records the fifth in person.
      const opened = await t
        .http()
        .post(`/memoranda/${id}/open-signing`)
        .set(coordinator.auth)
        .send({ mode: 'parallel', ceremony: TARAZ_MEMORANDUM.ceremony });
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({
        status: 'signing',
        signingMode: 'parallel',
        ceremony: TARAZ_MEMORANDUM.ceremony,
      });
      expect(opened.body.allowedActions).toEqual(['sign', 'withdraw']);

      await moveClock(t, tz, '2021-09-28T11:10:00+06:00');
      for (const key of ['kelisim', 'youth-office', 'zhangyru', 'jas-otan']) {
        const signer = person(tz, key);
        // Typed names are compared after NFC, whitespace and case folding.
        const typedName =
          key === 'jas-otan' ? `  ${signer.fullName.toUpperCase().normalize('NFD')}  ` : signer.fullName;
        const res = await t
          .http()
          .post(`/memoranda/${id}/signatures`)
          .set(signer.auth)
          .set('User-Agent', 'Kelisim e2e')
          .send({ method: 'electronic', revisionHash: hash2, typedName, consent: true });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
          method: 'electronic',
          organisationId: tz[key].id,
          revisionHash: hash2,
          memorandumStatus: 'signing',
          userAgent: 'Kelisim e2e',
        });
        expect(res.body.ipAddress).toBeTruthy();
      }
      await moveClock(t, tz, '2021-09-28T11:45:00+06:00');
      const photo = createHash('sha256').update('ceremony photo').digest('hex');
      const inPerson = await t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(coordinator.auth)
        .send({
          method: 'in_person',
          revisionHash: hash2,
          organisationId: tz['zhas-ulan'].id,
          signerName: 'Айжан Алебаева',
          signedAt: '2021-09-28T11:30:00+06:00',
          place: TARAZ_MEMORANDUM.ceremony.place,
          evidence: { reference: 'archive/2021/taraz-ceremony.jpg', sha256: photo },
        });
      expect(inPerson.status).toBe(201);
      // Executed and, the effective date having come in Asia/Almaty, active in the same transaction.
      expect(inPerson.body.memorandumStatus).toBe('active');
      m = await getMemorandum(t, id, person(tz, 'internal-policy'));
      expect(m).toMatchObject({
        status: 'active',
        executedRevisionNumber: 2,
        currentRevision: { number: 2, hash: hash2 },
      });
      expect(m.allowedActions).toEqual([]);
      expect((await getMemorandum(t, id, coordinator)).allowedActions).toEqual(['terminate', 'renew', 'amend']);

      const signatures = await t.http().get(`/memoranda/${id}/signatures`).set(person(tz, 'assembly').auth);
      expect(signatures.body.items).toHaveLength(5);
      expect(signatures.body.parties.every((p: { complete: boolean }) => p.complete)).toBe(true);
      expect(signatures.body.items.find((s: { method: string }) => s.method === 'in_person')).toMatchObject({
        signerName: 'Айжан Алебаева',
        evidence: { sha256: photo },
      });
    });

    it('records one hash-chained history event per transition and one outbox event per fact', async () => {
      // History: one event per transition, in order, hash-chained.
      const history = await t.http().get(`/memoranda/${id}/history`).set(coordinator.auth);
      expect(history.status).toBe(200);
      const actions = history.body.items.map((e: { action: string }) => e.action);
      expect(actions).toEqual([
        'create',
        ...Array(7).fill('add_party'),
        'edit',
        'submit',
        'approve',
        'request_changes',
        'edit',
        'submit',
        'comment',
        ...Array(5).fill('approve'),
        'approved',
        'open_signing',
        ...Array(5).fill('sign'),
        'executed',
        'activated',
      ]);
      items = history.body.items;
      items.forEach((e, i) => expect(e.seq).toBe(i + 1));
      items.slice(1).forEach((e, i) => expect(e.prevHash).toBe(items[i].hash));
      expect(items.find((e) => e.action === 'request_changes')).toMatchObject({
        toStatus: 'draft',
        reason: 'Добавить пункт об обмене опытом между районами.',
        actor: { name: 'Дәурен Сейітқалиұлы' },
      });
      expect(items.find((e) => e.action === 'submit')).toMatchObject({
        toStatus: 'in_review',
        revisionHash: hash1,
        requestId: 'submit-taraz-1',
      });
      expect(items.find((e) => e.action === 'approved')).toMatchObject({ toStatus: 'approved', actor: null });
      expect(items.find((e) => e.action === 'executed')).toMatchObject({ toStatus: 'executed', revisionHash: hash2 });

      const outbox = (await t.db.query(`SELECT type, payload FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`, [
        id,
      ])) as Array<{ type: string; payload: Record<string, unknown> }>;
      expect(outbox.map((e) => e.type)).toEqual([
        'memorandum.submitted',
        'party.approved',
        'party.changes_requested',
        'memorandum.returned_to_draft',
        'memorandum.submitted',
        ...Array(5).fill('party.approved'),
        'memorandum.approved',
        'memorandum.signing_opened',
        ...Array(5).fill('signature.recorded'),
        'memorandum.executed',
        'memorandum.activated',
      ]);
      expect(outbox[1].payload).toMatchObject({
        memorandumId: id,
        organisationId: tz['youth-office'].id,
        revisionNumber: 1,
      });
    });

    it('verifies the history until someone edits one event in SQL, then names that event', async () => {
      expect(
        (await t.http().get(`/memoranda/${id}/history/verify`).set(person(tz, 'internal-policy').auth)).body,
      ).toMatchObject({ valid: true });

      // Someone edits one event in SQL: verify names that event.
      const target = items.find((e) => e.action === 'approved')!;
      await t.db.query(`UPDATE history_events SET actor_name = 'Кто-то другой' WHERE memorandum_id = $1 AND seq = $2`, [
        id,
        target.seq,
      ]);
      const broken = await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator.auth);
      expect(broken.status).toBe(200);
      expect(broken.body).toMatchObject({ valid: false, brokenAtSeq: target.seq });
    });
  });

  it('executed before its effective date waits for the timed activation, which is idempotent; the end date expires it', async () => {
    await moveClock(t, tz, '2021-10-01T09:00:00+06:00');
    const id = await draftTarazMemorandum(t, tz, {
      effectiveDate: '2021-11-01',
      endDate: '2022-11-01',
      title: 'Меморандум о совместных исследованиях',
    });
    const hash = await submitAndApprove(t, tz, id);
    const coordinator = person(tz, 'kelisim');
    expect(
      (await t.http().post(`/memoranda/${id}/open-signing`).set(coordinator.auth).send({ mode: 'sequential' })).status,
    ).toBe(200);

    // Sequential: the second party cannot sign before the first.
    const early = await t
      .http()
      .post(`/memoranda/${id}/signatures`)
      .set(person(tz, 'youth-office').auth)
      .send({
        method: 'electronic',
        revisionHash: hash,
        typedName: person(tz, 'youth-office').fullName,
        consent: true,
      });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('not_your_turn');
    let last;
    for (const key of SIGNATORY_KEYS) {
      last = await t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(person(tz, key).auth)
        .send({ method: 'electronic', revisionHash: hash, typedName: person(tz, key).fullName, consent: true });
      expect(last.status).toBe(201);
    }
    expect(last!.body.memorandumStatus).toBe('executed');

    const transitions = t.app.get(MemorandumTransitionsService);
    // 31 October 23:30 in Almaty is still before the effective date, though 1 November has begun further east.
    expect(await transitions.applyTimedTransition(id, 'activate', new Date('2021-10-31T23:30:00+06:00'))).toBe(
      'skipped',
    );
    expect(await transitions.applyTimedTransition(id, 'expire', new Date('2023-01-01T00:00:00+06:00'))).toBe('skipped');
    expect(await transitions.applyTimedTransition(id, 'activate', new Date('2021-11-01T00:00:00+06:00'))).toBe(
      'applied',
    );
    expect(await transitions.applyTimedTransition(id, 'activate', new Date('2021-11-01T00:00:01+06:00'))).toBe(
      'skipped',
    );
    expect((await getMemorandum(t, id, coordinator)).status).toBe('active');

    // Renewal extends the term; expiry then waits for the new end date.
    const renewed = await t.http().post(`/memoranda/${id}/renew`).set(coordinator.auth).send({ endDate: '2023-11-01' });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ status: 'active', endDate: '2023-11-01' });
    expect(await transitions.applyTimedTransition(id, 'expire', new Date('2022-11-02T10:00:00+06:00'))).toBe('skipped');
    expect(await transitions.applyTimedTransition(id, 'expire', new Date('2023-11-01T00:00:00+06:00'))).toBe('applied');
    expect(await transitions.applyTimedTransition(id, 'expire', new Date('2023-11-02T00:00:00+06:00'))).toBe('skipped');
    const m = await getMemorandum(t, id, coordinator);
    expect(m.status).toBe('expired');
    const history = (await t.http().get(`/memoranda/${id}/history`).set(coordinator.auth)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(history.slice(-5)).toEqual(['sign', 'executed', 'activated', 'renew', 'expired']);
    expect((await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator.auth)).body).toMatchObject({
      valid: true,
    });
  });

  it('amends an active memorandum: the amendment is reviewed and signed on its own while the memorandum stays active (a renewal meanwhile survives it); then it is terminated', async () => {
    await moveClock(t, tz, '2021-09-30T10:00:00+06:00');
    const id = await draftTarazMemorandum(t, tz, { title: 'Меморандум об обмене опытом' });
    const coordinator = person(tz, 'kelisim');
    const hash1 = await submitAndApprove(t, tz, id);
    await t.http().post(`/memoranda/${id}/open-signing`).set(coordinator.auth).send({ mode: 'parallel' }).expect(200);
    for (const key of SIGNATORY_KEYS) {
      await t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(person(tz, key).auth)
        .send({ method: 'electronic', revisionHash: hash1, typedName: person(tz, key).fullName, consent: true })
        .expect(201);
    }
    let m = await getMemorandum(t, id, coordinator);
    expect(m).toMatchObject({ status: 'active', executedRevisionNumber: 1 });
    const executedBody = m.body;

    const amendment = await t
      .http()
      .post(`/memoranda/${id}/amendments`)
      .set(coordinator.auth)
      .send({ reason: 'Новый участник программы' });
    expect(amendment.status).toBe(201);
    expect(amendment.body).toMatchObject({
      status: 'active',
      amendmentStatus: 'draft',
      lifecycleState: 'amendment_draft',
      currentRevision: { number: 2, hash: null },
    });
    const amendedBody = `${executedBody}\n7. Срок действия продлевается по соглашению сторон.\n`;
    await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .set('If-Match', String(amendment.body.version))
      .send({ body: amendedBody })
      .expect(200);
    m = await getMemorandum(t, id, coordinator);
    expect(m.body).toBe(executedBody); // the executed terms stay in force while the amendment is drafted

    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({});
    expect(submitted.body).toMatchObject({ status: 'active', amendmentStatus: 'in_review' });
    const hash2 = submitted.body.currentRevision.hash;
    for (const key of SIGNATORY_KEYS) {
      await t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(person(tz, key).auth)
        .send({ decision: 'approve', revisionHash: hash2 })
        .expect(201);
    }
    await t.http().post(`/memoranda/${id}/open-signing`).set(coordinator.auth).send({ mode: 'parallel' }).expect(200);
    // Renewed while the amendment is being signed: the amendment left the term as it was, so the renewal stays.
    await t.http().post(`/memoranda/${id}/renew`).set(coordinator.auth).send({ endDate: '2025-09-28' }).expect(200);
    for (const key of SIGNATORY_KEYS) {
      const res = await t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(person(tz, key).auth)
        .send({ method: 'electronic', revisionHash: hash2, typedName: person(tz, key).fullName, consent: true });
      expect(res.status).toBe(201);
      expect(res.body.memorandumStatus).toBe('active');
    }
    m = await getMemorandum(t, id, coordinator);
    expect(m).toMatchObject({
      status: 'active',
      amendmentStatus: null,
      executedRevisionNumber: 2,
      body: amendedBody,
      endDate: '2025-09-28',
    });

    // A second amendment is withdrawn: the executed revision is current again.
    const second = await t.http().post(`/memoranda/${id}/amendments`).set(coordinator.auth).send({});
    expect(second.body).toMatchObject({ amendmentStatus: 'draft', currentRevision: { number: 3 } });
    const dropped = await t.http().post(`/memoranda/${id}/withdraw`).set(coordinator.auth).send({ reason: 'Не нужно' });
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({
      status: 'active',
      amendmentStatus: null,
      currentRevision: { number: 2, hash: hash2 },
      executedRevisionNumber: 2,
    });

    // A third is open when the memorandum is terminated: the amendment closes with it.
    const third = await t.http().post(`/memoranda/${id}/amendments`).set(coordinator.auth).send({});
    expect(third.body).toMatchObject({ amendmentStatus: 'draft', currentRevision: { number: 3 } });
    const noReason = await t.http().post(`/memoranda/${id}/terminate`).set(coordinator.auth).send({});
    expect(noReason.status).toBe(422);
    // Today's date (in Asia/Almaty) terminates at once; a future one would only schedule it (memoranda-termination.e2e-spec.ts).
    const terminated = await t
      .http()
      .post(`/memoranda/${id}/terminate`)
      .set(coordinator.auth)
      .send({ reason: 'Программа завершена досрочно', effectiveDate: '2021-09-30' });
    expect(terminated.status).toBe(200);
    expect(terminated.body).toMatchObject({
      status: 'terminated',
      amendmentStatus: null,
      terminationDate: '2021-09-30',
      pendingTermination: null,
      allowedActions: [],
      currentRevision: { number: 2, hash: hash2 },
      body: amendedBody,
    });
    const history = (await t.http().get(`/memoranda/${id}/history`).set(coordinator.auth)).body.items as Array<{
      action: string;
      fromStatus: string;
      toStatus: string;
    }>;
    expect(history.slice(-5).map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['executed', 'amendment_signing', 'active'],
      ['amend', 'active', 'amendment_draft'],
      ['withdraw_amendment', 'amendment_draft', 'active'],
      ['amend', 'active', 'amendment_draft'],
      ['terminate', 'amendment_draft', 'terminated'],
    ]);
    const again = await t.http().post(`/memoranda/${id}/renew`).set(coordinator.auth).send({ endDate: '2030-01-01' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'invalid_transition',
      details: { state: 'terminated', allowedActions: [] },
    });
  });

  it('lists memoranda with filters, paginated, to those who may see them', async () => {
    const coordinator = person(tz, 'kelisim');
    const all = await t.http().get('/memoranda').set(coordinator.auth).query({ pageSize: 2 });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(all.body.items).toHaveLength(2);
    const active = await t.http().get('/memoranda').set(person(tz, 'jas-otan').auth).query({ status: 'active' });
    expect(active.body.items.map((m: { status: string }) => m.status)).toEqual(['active']);
    const search = await t.http().get('/memoranda').set(person(tz, 'internal-policy').auth).query({ q: 'исследован' });
    expect(search.body.items.map((m: { title: string }) => m.title)).toEqual(['Меморандум о совместных исследованиях']);
    const byOrg = await t
      .http()
      .get('/memoranda')
      .set(person(tz, 'internal-policy').auth)
      .query({ organisationId: tz.dulaty.id });
    expect(byOrg.body.total).toBe(3);
    const bad = await t.http().get('/memoranda').set(coordinator.auth).query({ status: 'lost' });
    expect(bad.status).toBe(400);
  });
});
