/**
 * Hostile changes to stored data (hardening II, holes 10 and 12), as a matrix: every column that a
 * frozen revision's hash covers, edited in SQL, is named by verification and refused by the read
 * that serves it; every malformed or forged checkpoint file is refused with its reason, never
 * trusted. Each case restores what it changed, so the next one starts from an intact revision.
 */
import { HistoryService } from '@kelisim/history';
import { createTaraz, draftTarazMemorandum, person, Taraz } from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';

/** Each statement edits revision 1 of memorandum $1 as someone with database access might. */
const REVISION_TAMPERINGS: Array<[string, string]> = [
  ['title', `UPDATE memorandum_revisions SET title = title || '!' WHERE memorandum_id = $1 AND number = 1`],
  ['purpose', `UPDATE memorandum_revisions SET purpose = 'Иная цель' WHERE memorandum_id = $1 AND number = 1`],
  ['body', `UPDATE memorandum_revisions SET body = body || ' ' WHERE memorandum_id = $1 AND number = 1`],
  ['language', `UPDATE memorandum_revisions SET language = 'kk' WHERE memorandum_id = $1 AND number = 1`],
  ['time zone', `UPDATE memorandum_revisions SET time_zone = 'Asia/Aqtobe' WHERE memorandum_id = $1 AND number = 1`],
  [
    'effective date',
    `UPDATE memorandum_revisions SET effective_date = '2030-01-01' WHERE memorandum_id = $1 AND number = 1`,
  ],
  ['end date', `UPDATE memorandum_revisions SET end_date = NULL WHERE memorandum_id = $1 AND number = 1`],
  [
    'a party role',
    `UPDATE memorandum_revisions SET parties = jsonb_set(parties, '{0,role}', '"observer"') WHERE memorandum_id = $1 AND number = 1`,
  ],
  [
    'required signatures',
    `UPDATE memorandum_revisions SET parties = jsonb_set(parties, '{0,requiredSignatures}', '2') WHERE memorandum_id = $1 AND number = 1`,
  ],
  [
    'a translation added',
    `UPDATE memorandum_revisions SET translations = '{"equallyAuthentic":true,"texts":{"kk":{"title":"t","purpose":"p","body":"b"}}}' WHERE memorandum_id = $1 AND number = 1`,
  ],
];

describe('hostile changes to stored revisions and checkpoint files', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    id = await draftTarazMemorandum(t, tz);
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(person(tz, 'kelisim').auth).send({});
    expect(submitted.status).toBe(200);
  });
  afterAll(() => t?.close());

  const verify = async () =>
    (await t.http().get(`/memoranda/${id}/history/verify`).set(person(tz, 'kelisim').auth)).body;

  it.each(REVISION_TAMPERINGS)(
    '%s edited in SQL → altered_revision, and the read answers 500 integrity_failed',
    async (_, sql) => {
      const [before] = await t.db.query('SELECT * FROM memorandum_revisions WHERE memorandum_id = $1 AND number = 1', [
        id,
      ]);
      await t.db.query(sql, [id]);
      try {
        expect(await verify()).toMatchObject({ valid: false, kind: 'altered_revision' });
        const read = await t.http().get(`/memoranda/${id}/revisions/1`).set(person(tz, 'kelisim').auth);
        expect(read.status).toBe(500);
        expect(read.body).toMatchObject({ code: 'integrity_failed', details: { memorandumId: id, revisionNumber: 1 } });
      } finally {
        await t.db.query(
          `UPDATE memorandum_revisions SET title = $2, purpose = $3, body = $4, language = $5, time_zone = $6,
                effective_date = $7, end_date = $8, parties = $9, translations = $10 WHERE id = $1`,
          [
            before.id,
            before.title,
            before.purpose,
            before.body,
            before.language,
            before.time_zone,
            before.effective_date,
            before.end_date,
            JSON.stringify(before.parties),
            before.translations,
          ],
        );
      }
      expect(await verify()).toMatchObject({ valid: true });
    },
  );

  it('the same text in another Unicode composition (NFD) is not an alteration: it hashes alike', async () => {
    const [before] = await t.db.query('SELECT body FROM memorandum_revisions WHERE memorandum_id = $1 AND number = 1', [
      id,
    ]);
    await t.db.query(
      'UPDATE memorandum_revisions SET body = normalize(body, NFD) WHERE memorandum_id = $1 AND number = 1',
      [id],
    );
    try {
      const [after] = await t.db.query(
        'SELECT body FROM memorandum_revisions WHERE memorandum_id = $1 AND number = 1',
        [id],
      );
      expect(after.body).not.toBe(before.body);
      expect(await verify()).toMatchObject({ valid: true });
      expect((await t.http().get(`/memoranda/${id}/revisions/1`).set(person(tz, 'kelisim').auth)).status).toBe(200);
    } finally {
      await t.db.query('UPDATE memorandum_revisions SET body = $2 WHERE memorandum_id = $1 AND number = 1', [
        id,
        before.body,
      ]);
    }
  });

  it('the revision unfrozen in SQL (to be edited again) → revision_missing', async () => {
    const [before] = await t.db.query('SELECT * FROM memorandum_revisions WHERE memorandum_id = $1 AND number = 1', [
      id,
    ]);
    await t.db.query(
      'UPDATE memorandum_revisions SET hash = NULL, frozen_at = NULL, parties = NULL WHERE memorandum_id = $1 AND number = 1',
      [id],
    );
    try {
      expect(await verify()).toMatchObject({ valid: false, kind: 'revision_missing' });
    } finally {
      await t.db.query('UPDATE memorandum_revisions SET hash = $2, frozen_at = $3, parties = $4 WHERE id = $1', [
        before.id,
        before.hash,
        before.frozen_at,
        JSON.stringify(before.parties),
      ]);
    }
    expect(await verify()).toMatchObject({ valid: true });
  });

  describe('checkpoint files', () => {
    const genuine = async () => JSON.stringify(await t.app.get(HistoryService).checkpoint(new Date()));
    const open = (text: string) => t.app.get(HistoryService).openCheckpoint(text);

    it('a genuine checkpoint opens and names the chain', async () => {
      const opened = open(await genuine());
      expect(opened).toMatchObject({ ok: true });
      expect(opened.ok && opened.checkpoint.heads.map((h) => h.memorandumId)).toContain(id);
    });

    it.each<[string, (c: Record<string, unknown>) => unknown, RegExp]>([
      ['not JSON', () => '{', /not JSON/],
      ['another version', (c) => ({ ...c, v: 'kelisim.history.checkpoint.v0' }), /not a kelisim.history.checkpoint.v1/],
      ['no heads', (c) => ({ ...c, heads: undefined }), /lacks/],
      ['a head with a short hash', (c) => ({ ...c, heads: [{ memorandumId: id, seq: 1, hash: 'ab' }] }), /malformed/],
      [
        'a head with a negative seq',
        (c) => ({ ...c, heads: [{ memorandumId: id, seq: -1, hash: 'a'.repeat(64) }] }),
        /malformed/,
      ],
      ['a head removed', (c) => ({ ...c, heads: [] }), /MAC is not this installation's/],
      ['a later time', (c) => ({ ...c, at: '2099-01-01T00:00:00.000Z' }), /MAC is not this installation's/],
      ['a MAC of another length', (c) => ({ ...c, mac: 'ab' }), /MAC is not this installation's/],
    ])('%s → refused', async (_, edit, reason) => {
      const edited = edit(JSON.parse(await genuine()));
      const opened = open(typeof edited === 'string' ? edited : JSON.stringify(edited));
      expect(opened).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
    });
  });
});
