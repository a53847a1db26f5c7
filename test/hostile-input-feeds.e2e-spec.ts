/**
 * Hostile input against what the API hands to other programs: spreadsheet formulas in the texts
 * of commitments and organisations, read back from every cell of the CSV export (and the XLSX
 * export's cell types); and calendar feed tokens after the account behind them was deactivated,
 * reactivated or given a new password — by the API or by SQL — and in odd shapes in the URL.
 */
import ExcelJS from 'exceljs';
import { Role } from '@kelisim/identity';
import { createTaraz, draftTarazMemorandum, person, Taraz } from './memoranda.fixture';
import { createAdmin, createOrganisation, createUser, login, PASSWORD, TestUser } from './support/identity';
import { FORMULA_PAYLOADS } from './support/formula-payloads';
import { startTestApp, TestApp } from './support/test-app';

/** The formula payloads, and a value that tries to break out of its quoted field. */
const PAYLOADS = [...FORMULA_PAYLOADS, 'a","=HYPERLINK(""http://evil"")'];

/**
 * What any spreadsheet program could take for a formula, judged independently of the code under
 * test: a leading tab, CR or NUL, or a sign (ASCII, full-width or small) as the first character
 * that is not blank.
 */
const FORMULA = /^[\t\r\0]|^[\s\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE62\uFE63\uFE66\uFE6B]/u;

/** RFC 4180 records, each field with whether it was quoted. Throws on a quote inside an unquoted field. */
function parseCsv(text: string): { value: string; quoted: boolean }[][] {
  const rows: { value: string; quoted: boolean }[][] = [];
  let row: { value: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') ((value += '"'), (i += 2));
        else if (text[i] === '"') {
          i++;
          break;
        } else value += text[i++];
      }
    } else {
      while (i < text.length && !',\r\n'.includes(text[i])) {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
        value += text[i++];
      }
    }
    row.push({ value, quoted });
    if (text[i] === ',') i++;
    else if (i >= text.length || text[i] === '\n' || text[i] === '\r') {
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      rows.push(row);
      row = [];
    } else throw new Error(`text after a closing quote at ${i}`);
  }
  return rows;
}

const binary = (res: unknown, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('hostile input: formulas in exports, feed tokens after account changes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  describe('CSV and XLSX exports of commitments with formula payloads', () => {
    let tz: Taraz;
    let memorandumId: string;
    const stored = new Map<string, string>();

    beforeAll(async () => {
      tz = await createTaraz(t);
      memorandumId = await draftTarazMemorandum(t, tz);
      const coordinator = person(tz, 'kelisim');
      const hostileOrg = await createOrganisation(t, '=HYPERLINK("http://evil","org")');
      await t
        .http()
        .post(`/memoranda/${memorandumId}/parties`)
        .set(coordinator.auth)
        .send({ organisationId: hostileOrg.id, role: 'signatory' })
        .expect(201);
      for (const [n, payload] of PAYLOADS.entries()) {
        const res = await t
          .http()
          .post(`/memoranda/${memorandumId}/commitments`)
          .set(coordinator.auth)
          .send({
            title: payload,
            clauseRef: payload.slice(0, 100),
            leadOrganisationId: n === 0 ? hostileOrg.id : tz.kelisim.id,
            organisationIds: n === 1 ? [hostileOrg.id] : [],
            target: { quantity: 1, unit: payload.slice(0, 100) },
          });
        expect(res.status).toBe(201);
        stored.set(res.body.id, res.body.title);
      }
    });

    it('keeps a typed leading tab, trims the rest of the blanks', () => {
      const titles = [...stored.values()];
      expect(titles).toContain('\t=1+1');
      expect(titles).toContain('\t@SUM(1)');
      expect(titles).toContain('=1'); // ' =1': the space was trimmed, the cell is neutralised anyway
      expect(titles).not.toContain(' =1');
    });

    it('writes every cell of the CSV quoted, and no text cell a spreadsheet could run as a formula', async () => {
      const res = await t
        .http()
        .get(`/memoranda/${memorandumId}/commitments.csv`)
        .set(person(tz, 'kelisim').auth)
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      const rows = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
      const [header, ...data] = rows;
      const col = (name: string) => header.findIndex((f) => f.value === name);
      expect(data).toHaveLength(PAYLOADS.length);
      let cells = 0;
      for (const row of rows) {
        expect(row).toHaveLength(header.length);
        for (const field of row) {
          expect({ field, quoted: field.quoted }).toEqual({ field, quoted: true });
          expect({ field, formula: FORMULA.test(field.value) }).toEqual({ field, formula: false });
          cells++;
        }
      }
      expect(cells).toBe(header.length * (PAYLOADS.length + 1));
      for (const row of data) {
        const title = stored.get(row[col('commitmentId')].value)!;
        const cell = (text: string) => (FORMULA.test(text) ? `'${text}` : text);
        expect(row[col('title')].value).toBe(cell(title));
        expect(row[col('clauseRef')].value).toBe(cell(title.slice(0, 100)));
        expect(row[col('target')].value).toBe(`1 ${title.slice(0, 100)}`);
        // Numbers are numbers: a count is never prefixed.
        expect(row[col('reports')].value).toBe('0');
      }
      const parties = data.flatMap((r) => [r[col('leadParty')].value, r[col('otherParties')].value]);
      expect(parties).toContain(`'=HYPERLINK("http://evil","org")`);
    });

    it('writes the XLSX texts as typed string cells, never as formulas', async () => {
      const res = await t
        .http()
        .get(`/memoranda/${memorandumId}/commitments.xlsx`)
        .set(person(tz, 'kelisim').auth)
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as Parameters<typeof book.xlsx.load>[0]);
      const sheet = book.getWorksheet('Commitments')!;
      let texts = 0;
      sheet.eachRow((row, n) => {
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
        });
        if (n > 2) {
          expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
          expect(row.getCell(2).value).toBe(stored.get(String(row.getCell(1).value)));
          texts++;
        }
      });
      expect(texts).toBe(PAYLOADS.length);
    });
  });

  describe('calendar feed tokens after the account behind them changes', () => {
    let admin: TestUser;
    let orgId: string;
    let user: TestUser;

    beforeAll(async () => {
      admin = await createAdmin(t);
      orgId = (await createOrganisation(t, 'Жастар ресурстық орталығы')).id;
      user = await createUser(t, {
        fullName: 'Айгерім Сейтқали',
        email: 'feeds@kelisim.test',
        organisationId: orgId,
        roles: [Role.PartyRepresentative],
      });
    });

    const signIn = async (password = PASSWORD) => {
      user.token = await login(t, user.email, password);
      user.auth = { Authorization: `Bearer ${user.token}` };
    };
    const newFeedToken = async (): Promise<string> => {
      const res = await t.http().post('/me/feed-tokens').set(user.auth).send({ name: 'Outlook' });
      expect(res.status).toBe(201);
      return res.body.token;
    };
    const feed = (token: unknown) =>
      t
        .http()
        .get(`/organisations/${orgId}/calendar.ics`)
        .query({ token: token as string });
    const patchUser = (body: object) => t.http().patch(`/users/${user.id}`).set(admin.auth).send(body).expect(200);
    const patchOrganisation = (body: object) =>
      t.http().patch(`/organisations/${orgId}`).set(admin.auth).send(body).expect(200);

    it('refuses a token after its user was deactivated and reactivated; a token made afterwards works', async () => {
      const old = await newFeedToken();
      expect((await feed(old)).status).toBe(200);
      await patchUser({ active: false });
      expect((await feed(old)).status).toBe(401);
      await patchUser({ active: true });
      const res = await feed(old);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_feed_token');
      await signIn();
      const fresh = await newFeedToken();
      expect((await feed(fresh)).status).toBe(200);
      const list = await t.http().get('/me/feed-tokens').set(user.auth).expect(200);
      const revoked = list.body.items.filter((i: { revokedAt: string | null }) => i.revokedAt !== null);
      expect(list.body.items).toHaveLength(2);
      expect(revoked).toHaveLength(1);
    });

    it('refuses a token after its organisation was deactivated and reactivated', async () => {
      await signIn();
      const old = await newFeedToken();
      expect((await feed(old)).status).toBe(200);
      await patchOrganisation({ active: false });
      await patchOrganisation({ active: true });
      expect((await feed(old)).status).toBe(401);
      await signIn();
      expect((await feed(await newFeedToken())).status).toBe(200);
    });

    it('refuses a token after an admin changed the password', async () => {
      await signIn();
      const old = await newFeedToken();
      expect((await feed(old)).status).toBe(200);
      await patchUser({ password: 'Жаңа-құпия-сөз-2021' });
      expect((await feed(old)).status).toBe(401);
      await signIn('Жаңа-құпия-сөз-2021');
      expect((await feed(await newFeedToken())).status).toBe(200);
      await patchUser({ password: PASSWORD });
    });

    it('refuses a token after a deactivation written in SQL, which the API never saw', async () => {
      await signIn();
      const old = await newFeedToken();
      expect((await feed(old)).status).toBe(200);
      await t.db.query('UPDATE users SET active = false WHERE id = $1', [user.id]);
      await t.db.query('UPDATE users SET active = true WHERE id = $1', [user.id]);
      expect((await feed(old)).status).toBe(401);
      await t.db.query('UPDATE organisations SET active = false WHERE id = $1', [orgId]);
      await t.db.query('UPDATE organisations SET active = true WHERE id = $1', [orgId]);
      await signIn();
      const afterUser = await newFeedToken();
      await t.db.query('UPDATE organisations SET active = false WHERE id = $1', [orgId]);
      await t.db.query('UPDATE organisations SET active = true WHERE id = $1', [orgId]);
      expect((await feed(afterUser)).status).toBe(401);
    });

    it('refuses session and personal tokens after a deactivation written in SQL, as feed tokens', async () => {
      await signIn();
      const personal = await t.http().post('/me/tokens').set(user.auth).send({ name: 'CRM' }).expect(201);
      const bearers = [user.auth, { Authorization: `Bearer ${personal.body.token}` }];
      for (const auth of bearers) await t.http().get('/me').set(auth).expect(200);
      await t.db.query('UPDATE users SET active = false WHERE id = $1', [user.id]);
      await t.db.query('UPDATE users SET active = true WHERE id = $1', [user.id]);
      for (const auth of bearers) expect((await t.http().get('/me').set(auth)).status).toBe(401);
      await signIn();
      await t.http().get('/me').set(user.auth).expect(200);
    });

    it('answers 401 (or 400 naming the parameter), never 500, to tokens in odd shapes', async () => {
      await signIn();
      const good = await newFeedToken();
      const url = `/organisations/${orgId}/calendar.ics`;
      const odd: Array<[string, string, number]> = [
        ['two tokens', `${url}?token=${good}&token=${good}`, 401],
        ['a token list', `${url}?token[]=${good}`, 400],
        ['a token object', `${url}?token[a]=${good}`, 400],
        ['no token', url, 401],
        ['an empty token', `${url}?token=`, 401],
        ['a token with a NUL', `${url}?token=${good}%00`, 400],
        ['a token of another kind', `${url}?token=${good.replace(/^klf_/, 'klp_')}`, 401],
        ['a token of 10,000 characters', `${url}?token=klf_${'A'.repeat(10_000)}`, 401],
        ['a token with the right shape that nobody was given', `${url}?token=klf_${'A'.repeat(43)}`, 401],
      ];
      for (const [name, path, status] of odd) {
        const res = await t.http().get(path);
        expect({ name, status: res.status }).toEqual({ name, status });
        if (status === 400) expect(res.body.errors[0].field).toMatch(/^token/);
      }
      // The query parser decodes the name: the same token, spelt escaped, opens the feed.
      expect((await t.http().get(`${url}?%74oken=${good}`)).status).toBe(200);
    });
  });
});
