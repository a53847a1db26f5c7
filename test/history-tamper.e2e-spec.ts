/**
 * History that catches a rewind and a bypass (security review, hole 5). Each tampering an attacker
 * with database access (but not the history key) could do is named by verification, through the
 * API and by `kelisim verify-history --all`; and the migration that added the keyed MACs kept
 * chains written before it verifiable.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvidenceService } from '@kelisim/evidence';
import { hashEvent, HistoryService } from '@kelisim/history';
import { Role } from '@kelisim/identity';
import { MemorandumRevision, revisionHash } from '@kelisim/memoranda';
import { HistoryMac1795002200000 } from '../migrations/1795002200000-HistoryMac';
import {
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  moveClock,
  person,
  signByAll,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { runCli } from './support/cli';
import { TEST_REDIS_URL } from './support/databases';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('history tampering is detected and named', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp();
    orgId = (await createOrganisation(t, 'Қоғамдық келісім')).id;
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'c@kelisim.test',
      organisationId: orgId,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  /** A draft with `edits` edits after its creation: 1 + edits events, version 1 + edits. */
  async function memorandum(edits: number): Promise<string> {
    const res = await t
      .http()
      .post('/memoranda')
      .set(coordinator.auth)
      .send({ title: 'Меморандум', purpose: 'p', body: 'b', language: 'kk', coordinatingOrganisationId: orgId });
    for (let v = 1; v <= edits; v++) {
      await t
        .http()
        .patch(`/memoranda/${res.body.id}`)
        .set(coordinator.auth)
        .send({ title: `Меморандум ${v}`, version: v })
        .expect(200);
    }
    return res.body.id;
  }
  const verify = async (id: string) =>
    (await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator.auth)).body;
  const q = (sql: string, params: unknown[]) => t.db.query(sql, params);

  it('an untouched memorandum verifies', async () => {
    expect(await verify(await memorandum(2))).toEqual({ valid: true, events: 3 });
  });

  it('the last event deleted and the head rewound → forged_head (and the memorandum row disagrees)', async () => {
    const id = await memorandum(2);
    const [prev] = await q('SELECT seq, hash FROM history_events WHERE memorandum_id = $1 AND seq = 2', [id]);
    await q('DELETE FROM history_events WHERE memorandum_id = $1 AND seq = 3', [id]);
    await q('UPDATE history_heads SET last_seq = 2, last_hash = $2 WHERE memorandum_id = $1', [id, prev.hash]);
    expect(await verify(id)).toMatchObject({ valid: false, kind: 'forged_head', brokenAtSeq: 2 });
  });

  it('every event and the head of an existing memorandum deleted → no_history', async () => {
    const id = await memorandum(1);
    await q('DELETE FROM history_events WHERE memorandum_id = $1', [id]);
    await q('DELETE FROM history_heads WHERE memorandum_id = $1', [id]);
    expect(await verify(id)).toMatchObject({ valid: false, kind: 'no_history', brokenAtSeq: 1 });
  });

  it('actor_name edited and the unkeyed SHA-256 chain recomputed → forged_event at that event', async () => {
    const id = await memorandum(2);
    const history = t.app.get(HistoryService);
    const events = await t.db.query(
      `SELECT id, memorandum_id AS "memorandumId", seq, action, from_status AS "fromStatus", to_status AS "toStatus", actor_user_id AS "actorUserId",
              actor_name AS "actorName", organisation_id AS "organisationId", revision_number AS "revisionNumber", revision_hash AS "revisionHash",
              reason, request_id AS "requestId", at, data, prev_hash AS "prevHash" FROM history_events WHERE memorandum_id = $1 ORDER BY seq`,
      [id],
    );
    let prevHash = '0'.repeat(64);
    for (const e of events) {
      if (e.seq === 2) e.actorName = 'Someone Else';
      e.prevHash = prevHash;
      const hash = hashEvent(e);
      await q('UPDATE history_events SET actor_name = $2, prev_hash = $3, hash = $4 WHERE id = $1', [
        e.id,
        e.actorName,
        e.prevHash,
        hash,
      ]);
      prevHash = hash;
    }
    await q('UPDATE history_heads SET last_hash = $2 WHERE memorandum_id = $1', [id, prevHash]);
    expect((await history.list(id))[1].actor?.name).toBe('Someone Else');
    expect(await verify(id)).toMatchObject({ valid: false, kind: 'forged_event', brokenAtSeq: 2 });
  });

  it('UPDATE memoranda SET status = executed → status_mismatch; a version moved by hand → version_mismatch', async () => {
    const a = await memorandum(1);
    await q(`UPDATE memoranda SET status = 'executed' WHERE id = $1`, [a]);
    expect(await verify(a)).toMatchObject({ valid: false, kind: 'status_mismatch', brokenAtSeq: 2 });
    const b = await memorandum(1);
    await q('UPDATE memoranda SET version = version + 1 WHERE id = $1', [b]);
    expect(await verify(b)).toMatchObject({ valid: false, kind: 'version_mismatch' });
  });

  it('a chain that does not start with create → not_started_by_create', async () => {
    const id = await memorandum(0);
    await q(`UPDATE history_events SET action = 'edit' WHERE memorandum_id = $1`, [id]);
    // Editing without rehashing is an altered event first; the start rule is checked on intact events (unit tests).
    expect(await verify(id)).toMatchObject({ valid: false, kind: 'altered_event' });
  });

  it('kelisim verify-history --all names each kind of break and exits 1', () => {
    const r = runCli(['verify-history', '--all'], { DATABASE_URL: t.databaseUrl, REDIS_URL: TEST_REDIS_URL });
    expect(r.status).toBe(1);
    for (const kind of [
      'forged_head',
      'no_history',
      'forged_event',
      'status_mismatch',
      'version_mismatch',
      'altered_event',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^BROKEN  [0-9a-f-]{36}  ${kind} at seq \\d+: `, 'm'));
    }
    expect(r.stdout).toMatch(/^ok {6}[0-9a-f-]{36} {2}3 event\(s\), last hash [0-9a-f]{64}$/m);
  });

  it('the migration seals chains written before it: they still verify, with their MACs', async () => {
    const id = await memorandum(2);
    const migration = new HistoryMac1795002200000();
    const runner = t.db.createQueryRunner();
    try {
      await migration.down(runner);
      expect(
        (
          await runner.query(
            `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'history_events' AND column_name = 'mac'`,
          )
        )[0].n,
      ).toBe(0);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await verify(id)).toEqual({ valid: true, events: 3 });
    const [row] = await q('SELECT mac FROM history_events WHERE memorandum_id = $1 AND seq = 3', [id]);
    expect(row.mac).toMatch(/^[0-9a-f]{64}$/);
  });
});

/**
 * The signed text and the evidence files against their hashes (hardening II, holes 10 and 12): a
 * text, translation or frozen commitment edited in SQL is named by verification and no longer
 * served under the hash the parties approved; a file's bytes swapped in SQL are not served under
 * their old SHA-256; a head put back with its earlier status and version is caught by a checkpoint.
 */
describe('the signed text, evidence files and checkpoints are checked against their hashes', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let fileId: string;
  const PDF = Buffer.from('%PDF-1.4\n% Kelisim evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const env = () => ({ DATABASE_URL: t.databaseUrl, REDIS_URL: TEST_REDIS_URL });

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    id = await draftTarazMemorandum(t, tz);
    const ids = await addTarazCommitments(t, tz, id);
    const current = await t.http().get(`/memoranda/${id}`).set(person(tz, 'kelisim').auth);
    const kk = { title: 'Жастар саясаты туралы меморандум', purpose: 'Ынтымақтастық', body: 'Тараптар келісті.' };
    const edited = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(person(tz, 'kelisim').auth)
      .send({ version: current.body.version, translations: { equallyAuthentic: true, texts: { kk } } });
    expect(edited.status).toBe(200);
    const hash = await submitAndApprove(t, tz, id);
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    await moveClock(t, tz, '2021-10-05T10:00:00+06:00');
    const filed = await t
      .http()
      .post(`/commitments/${ids[0]}/reports`)
      .set(person(tz, 'youth-office').auth)
      .field('report', JSON.stringify({ date: '2021-09-28', summary: 'Круглый стол', sha256: [sha(PDF)] }))
      .attach('files', PDF, { filename: 'list.pdf', contentType: 'application/pdf' });
    expect(filed.status).toBe(201);
    fileId = filed.body.files[0].id;
  });
  afterAll(() => t?.close());

  const coordinator = () => person(tz, 'kelisim');
  const verify = async () => (await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator().auth)).body;
  const q = (sql: string, params: unknown[]) => t.db.query(sql, params);
  /** Runs `tamper`, checks what `check` expects, then puts every column back as it was. */
  async function tampered(tamper: () => Promise<unknown>, check: () => Promise<void>): Promise<void> {
    const [revision] = await q('SELECT * FROM memorandum_revisions WHERE memorandum_id = $1 AND number = 1', [id]);
    const [m] = await q('SELECT body FROM memoranda WHERE id = $1', [id]);
    const [frozen] = await q('SELECT commitments FROM revision_commitments WHERE memorandum_id = $1', [id]);
    await tamper();
    try {
      await check();
    } finally {
      await q('UPDATE memorandum_revisions SET body = $2, translations = $3, hash = $4 WHERE id = $1', [
        revision.id,
        revision.body,
        revision.translations,
        revision.hash,
      ]);
      await q('UPDATE memoranda SET body = $2 WHERE id = $1', [id, m.body]);
      await q('UPDATE revision_commitments SET commitments = $2 WHERE memorandum_id = $1', [
        id,
        JSON.stringify(frozen.commitments),
      ]);
    }
    expect(await verify()).toMatchObject({ valid: true });
  }
  const revisionRead = () => t.http().get(`/memoranda/${id}/revisions/1`).set(coordinator().auth);

  it('the executed memorandum verifies, and its revision is served', async () => {
    expect(await verify()).toMatchObject({ valid: true });
    expect((await revisionRead()).status).toBe(200);
  });

  it('UPDATE memorandum_revisions SET body on the executed revision → altered_revision; the revision is refused with 500 integrity_failed', async () => {
    await tampered(
      () =>
        q(`UPDATE memorandum_revisions SET body = body || ' и ещё пункт' WHERE memorandum_id = $1 AND number = 1`, [
          id,
        ]),
      async () => {
        expect(await verify()).toMatchObject({ valid: false, kind: 'altered_revision' });
        expect((await verify()).reason).toMatch(/^revision 1 was altered: its stored terms hash to [0-9a-f]{64}/);
        const read = await revisionRead();
        expect(read.status).toBe(500);
        expect(read.body).toMatchObject({ code: 'integrity_failed', details: { memorandumId: id, revisionNumber: 1 } });
        expect(read.body.message).not.toMatch(/и ещё пункт/);
        expect((await t.http().get(`/memoranda/${id}/revisions`).set(coordinator().auth)).status).toBe(500);
      },
    );
  });

  it('the Kazakh translation edited in SQL → altered_revision', async () => {
    await tampered(
      () =>
        q(
          `UPDATE memorandum_revisions SET translations = jsonb_set(translations, '{texts,kk,body}', '"Тараптар келіспеді."')
            WHERE memorandum_id = $1 AND number = 1`,
          [id],
        ),
      async () => {
        expect(await verify()).toMatchObject({ valid: false, kind: 'altered_revision' });
        expect((await revisionRead()).body).toMatchObject({ code: 'integrity_failed' });
      },
    );
  });

  it('the body and its hash column rewritten together → altered_revision: the hash is not the one the history recorded', async () => {
    await tampered(
      async () => {
        const row = await t.db.getRepository(MemorandumRevision).findOneByOrFail({ memorandumId: id, number: 1 });
        const [frozen] = await q('SELECT commitments FROM revision_commitments WHERE memorandum_id = $1', [id]);
        row.body = `${row.body} (изменено)`;
        const forged = revisionHash({ ...row, parties: row.parties!, commitments: frozen.commitments });
        await q('UPDATE memorandum_revisions SET body = $2, hash = $3 WHERE id = $1', [row.id, row.body, forged]);
      },
      async () => {
        const v = await verify();
        expect(v).toMatchObject({ valid: false, kind: 'altered_revision' });
        expect(v.reason).toMatch(/event \d+ \(submit\) recorded/);
        expect((await revisionRead()).body).toMatchObject({ code: 'integrity_failed' });
      },
    );
  });

  it('a frozen commitment edited in SQL → altered_revision', async () => {
    await tampered(
      () =>
        q(
          `UPDATE revision_commitments SET commitments = jsonb_set(commitments, '{0,title}', '"Другое обязательство"') WHERE memorandum_id = $1`,
          [id],
        ),
      async () => expect(await verify()).toMatchObject({ valid: false, kind: 'altered_revision' }),
    );
  });

  it("the memorandum's own copy of the text edited in SQL → text_mismatch", async () => {
    await tampered(
      () => q(`UPDATE memoranda SET body = 'Совсем другой текст' WHERE id = $1`, [id]),
      async () =>
        expect(await verify()).toMatchObject({
          valid: false,
          kind: 'text_mismatch',
          reason: "the memorandum's copy of the text differs from revision 1, whose text it shows, in: body",
        }),
    );
  });

  it('an evidence file whose bytes were swapped in SQL is refused with 500 integrity_failed, not served under its old SHA-256', async () => {
    const ok = await t.http().get(`/files/${fileId}`).set(coordinator().auth);
    expect(ok.status).toBe(200);
    const [file] = await q('SELECT sha256 FROM evidence_files WHERE id = $1', [fileId]);
    const swapped = Buffer.from(PDF.toString('latin1').replace('Kelisim', 'Forgery'), 'latin1');
    // One chunk: the PDF is smaller than a chunk.
    await q('UPDATE evidence_blob_chunks SET bytes = $2 WHERE sha256 = $1 AND seq = 0', [file.sha256, swapped]);
    try {
      const res = await t.http().get(`/files/${fileId}`).set(coordinator().auth);
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'integrity_failed', details: { fileId } });
      const cli = runCli(['verify-history', id], env());
      expect(cli.status).toBe(1);
      expect(cli.stdout).toMatch(
        new RegExp(`^BROKEN  ${id}  altered_file at seq \\d+: evidence file ${fileId}: its bytes no longer hash`, 'm'),
      );
    } finally {
      await q('UPDATE evidence_blob_chunks SET bytes = $2 WHERE sha256 = $1 AND seq = 0', [file.sha256, PDF]);
    }
  });

  it('a file row pointed at other bytes (stored under their own correct SHA-256) is refused: the history recorded another', async () => {
    const [file] = await q('SELECT sha256 FROM evidence_files WHERE id = $1', [fileId]);
    const other = Buffer.from(PDF.toString('latin1').replace('Kelisim', 'Forgery'), 'latin1');
    await q('INSERT INTO evidence_blobs (sha256, size, created_at) VALUES ($1, $2, now())', [sha(other), other.length]);
    await q('INSERT INTO evidence_blob_chunks (sha256, seq, bytes) VALUES ($1, 0, $2)', [sha(other), other]);
    await q('UPDATE evidence_files SET sha256 = $2 WHERE id = $1', [fileId, sha(other)]);
    try {
      const res = await t.http().get(`/files/${fileId}`).set(coordinator().auth);
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'integrity_failed', details: { fileId } });
      const cli = runCli(['verify-history', id], env());
      expect(cli.status).toBe(1);
      expect(cli.stdout).toMatch(
        new RegExp(`altered_file at seq \\d+: evidence file ${fileId} names SHA-256 ${sha(other)}, which no event`),
      );
    } finally {
      await q('UPDATE evidence_files SET sha256 = $2 WHERE id = $1', [fileId, file.sha256]);
    }
    expect((await t.http().get(`/files/${fileId}`).set(coordinator().auth)).status).toBe(200);
  });

  it('kelisim verify-history names the memorandum and the altered revision, and exits 1', async () => {
    await q(`UPDATE memorandum_revisions SET body = body || '.' WHERE memorandum_id = $1 AND number = 1`, [id]);
    const r = runCli(['verify-history', id], env());
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^BROKEN  ${id}  altered_revision at seq \\d+: revision 1 was altered`, 'm'));
    await q(`UPDATE memorandum_revisions SET body = left(body, -1) WHERE memorandum_id = $1 AND number = 1`, [id]);
    expect(runCli(['verify-history', id], env()).status).toBe(0);
  });

  it('a head put back with its earlier MAC, status and version passes alone, but not against a checkpoint', async () => {
    const draft = await t
      .http()
      .post('/memoranda')
      .set(coordinator().auth)
      .send({ title: 'Черновик', purpose: 'p', body: 'b', language: 'kk', coordinatingOrganisationId: tz.kelisim.id });
    const draftId: string = draft.body.id;
    // What someone with database access keeps aside: the rows as they are after the first event.
    const [head] = await q('SELECT last_seq, last_hash, mac FROM history_heads WHERE memorandum_id = $1', [draftId]);
    const [row] = await q('SELECT title, version, updated_at FROM memoranda WHERE id = $1', [draftId]);
    await t
      .http()
      .patch(`/memoranda/${draftId}`)
      .set(coordinator().auth)
      .send({ title: 'Черновик 2', version: 1 })
      .expect(200);
    const dir = mkdtempSync(join(tmpdir(), 'kelisim-checkpoint-'));
    const file = join(dir, 'heads.json');
    const written = runCli(['history-checkpoint', '--out', file], env());
    expect(written.status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).heads).toContainEqual({
      memorandumId: draftId,
      seq: 2,
      hash: expect.any(String),
    });
    expect(runCli(['history-checkpoint', '--out', file], env()).status).toBe(2);
    // The evidence PDF of that head, as a party would keep it: it anchors this one chain the same way.
    expect(await t.app.get(EvidenceService).render(draftId)).toBe('rendered');
    const [doc] = await q('SELECT pdf FROM evidence_documents WHERE memorandum_id = $1 AND head_seq = 2', [draftId]);
    const pdfFile = join(dir, 'evidence.pdf');
    writeFileSync(pdfFile, doc.pdf);
    // The replay: the later event deleted, the earlier head (with its genuine MAC), title and version put back.
    await q('DELETE FROM history_events WHERE memorandum_id = $1 AND seq = 2', [draftId]);
    await q('UPDATE history_heads SET last_seq = $2, last_hash = $3, mac = $4 WHERE memorandum_id = $1', [
      draftId,
      head.last_seq,
      head.last_hash,
      head.mac,
    ]);
    await q('UPDATE memoranda SET title = $2, version = $3, updated_at = $4 WHERE id = $1', [
      draftId,
      row.title,
      row.version,
      row.updated_at,
    ]);
    await q('UPDATE memorandum_revisions SET title = $2 WHERE memorandum_id = $1', [draftId, row.title]);
    expect(runCli(['verify-history', draftId], env()).status).toBe(0);
    const checked = runCli(['verify-history', '--all', '--checkpoint', file], env());
    expect(checked.status).toBe(1);
    expect(checked.stdout).toMatch(
      new RegExp(
        `^BROKEN  ${draftId}  rewound_since_checkpoint at seq 2: the chain has 1 event\\(s\\), but the checkpoint recorded 2`,
        'm',
      ),
    );
    expect(checked.stdout).toMatch(new RegExp(`^ok {6}${id}  `, 'm'));
    const byPdf = runCli(['verify-history', draftId, '--checkpoint', pdfFile], env());
    expect(byPdf.status).toBe(1);
    expect(byPdf.stdout).toMatch(new RegExp(`^BROKEN  ${draftId}  rewound_since_checkpoint at seq 2: `, 'm'));
    // A checkpoint edited to hide the rewind no longer carries the key's MAC: refused, not trusted.
    const edited = JSON.parse(readFileSync(file, 'utf8'));
    edited.heads = edited.heads.filter((h: { memorandumId: string }) => h.memorandumId !== draftId);
    writeFileSync(file, JSON.stringify(edited));
    const refused = runCli(['verify-history', '--all', '--checkpoint', file], env());
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/is not a usable checkpoint: its MAC is not this installation's/);
  });
});
