/**
 * Evidence uploads that must work (issue 22): a genuine file of every accepted type is stored and
 * comes back byte for byte (a file of several storage chunks too), an over-long name is shortened
 * between whole characters instead of refused, temporary files are gone after each request, and
 * the limit of concurrent uploads answers 429 with Retry-After beyond it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvidenceUploadInterceptor } from '../apps/api/src/commitments/evidence-upload.interceptor';
import { person, Taraz } from './memoranda.fixture';
import { CSV, docx, DOCX, JPEG, PDF, PNG, reportableMemorandum, XLSX, xlsx } from './support/evidence-files';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('evidence uploads: genuine files, long names, the concurrency limit', () => {
  let t: TestApp;
  let tz: Taraz;
  let ids: string[];
  const tmp = mkdtempSync(join(tmpdir(), 'kelisim-evidence-uploads-'));
  const previousTmp = process.env.TMPDIR;

  beforeAll(async () => {
    process.env.TMPDIR = tmp;
    // One upload at a time, no waiting: a second one while the first runs is refused at once.
    t = await startTestApp({ env: { EVIDENCE_UPLOADS_CONCURRENT: '1', EVIDENCE_UPLOAD_WAIT_MS: '0' } });
    ({ tz, ids } = await reportableMemorandum(t));
  });
  afterAll(async () => {
    process.env.TMPDIR = previousTmp;
    await t?.close();
  });

  const leftOnDisk = () => readdirSync(tmp, { recursive: true });
  const reporter = () => person(tz, 'youth-office');
  const report = () =>
    t
      .http()
      .post(`/commitments/${ids[0]}/reports`)
      .set(reporter().auth)
      .field('report', JSON.stringify({ date: '2021-09-28', summary: 'Evidence' }));
  const download = (id: string) =>
    t
      .http()
      .get(`/files/${id}`)
      .set(person(tz, 'internal-policy').auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  it('accepts a genuine PDF, PNG, JPEG, DOCX, XLSX, CSV and text file, and gives each back byte for byte', async () => {
    // Over two storage chunks of 512 KiB, not a multiple of one.
    const large = Buffer.concat([PDF('large'), randomBytes(1_300_001)]);
    const files: Array<[Buffer, string, string]> = [
      [PDF(), 'Тізім қатысушылар.pdf', 'application/pdf'],
      [large, 'Фотоотчёт.PDF', 'application/pdf'],
      [PNG, 'фото.png', 'image/png'],
      [JPEG, 'фото.jpeg', 'image/jpeg'],
      [docx(), 'Хаттама.docx', DOCX],
      [await xlsx(), 'Қатысушылар.xlsx', XLSX],
      [CSV, 'тізім.csv', 'text/csv'],
      [Buffer.from('Итоги круглого стола\n'), 'итоги', 'text/plain'],
    ];
    let req = report();
    for (const [bytes, filename, contentType] of files) req = req.attach('files', bytes, { filename, contentType });
    const res = await req;
    expect(res.status).toBe(201);
    expect(res.body.files.map((f: { name: string }) => f.name)).toEqual([
      'Тізім қатысушылар.pdf',
      'Фотоотчёт.PDF',
      'фото.png',
      'фото.jpeg',
      'Хаттама.docx',
      'Қатысушылар.xlsx',
      'тізім.csv',
      // A name without extension gets its type's.
      'итоги.txt',
    ]);
    for (const [i, [bytes, , contentType]] of files.entries()) {
      expect(res.body.files[i]).toMatchObject({ contentType, size: bytes.length, sha256: sha(bytes) });
      const file = await download(res.body.files[i].id);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe(contentType);
      expect(Number(file.headers['content-length'])).toBe(bytes.length);
      expect(file.headers.etag).toBe(`"${sha(bytes)}"`);
      expect(Buffer.compare(file.body as Buffer, bytes)).toBe(0);
    }
    const [{ chunks }] = await t.db.query(
      `SELECT count(*)::int AS chunks FROM evidence_blob_chunks WHERE sha256 = $1`,
      [sha(large)],
    );
    expect(chunks).toBe(3);
    expect(leftOnDisk()).toEqual([]);
  });

  it('shortens a name of 254 characters and an emoji instead of refusing it, between whole characters', async () => {
    // 255 characters, 256 UTF-16 units: cutting at 255 units split the emoji's surrogate pair.
    const name = 'Қатысушылар тізімі '.repeat(14).slice(0, 254) + '🎉';
    expect([...name].length).toBe(255);
    const longer = `${'а'.repeat(250)}👩‍👩‍👧.pdf`; // a family emoji of 5 code points across the cut
    const res = await report()
      .attach('files', PDF('emoji 1'), { filename: name, contentType: 'application/pdf' })
      .attach('files', PDF('emoji 2'), { filename: longer, contentType: 'application/pdf' });
    expect(res.status).toBe(201);
    const [first, second] = res.body.files.map((f: { name: string }) => f.name);
    expect([...first].length).toBeLessThanOrEqual(255);
    expect(first.endsWith('….pdf')).toBe(true);
    expect(first.startsWith('Қатысушылар тізімі Қатысушылар')).toBe(true);
    expect(second).toBe(`${'а'.repeat(250)}….pdf`);
    // No lone surrogate, nothing split: each is well-formed and round-trips through UTF-8.
    for (const n of [first, second]) expect(Buffer.from(n, 'utf8').toString('utf8')).toBe(n);
    const stored = await t.db.query(`SELECT name FROM evidence_files WHERE report_id = $1 ORDER BY created_at, id`, [
      res.body.id,
    ]);
    expect(stored.map((r: { name: string }) => r.name).sort()).toEqual([first, second].sort());
  });

  it('lets one upload run at a time here: another meanwhile gets 429 with Retry-After, and one after it succeeds', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const boundary = 'kelisim-slow-upload';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n` +
        `${JSON.stringify({ date: '2021-09-28', summary: 'Slow upload' })}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="slow.pdf"\r\n` +
        `Content-Type: application/pdf\r\n\r\n`,
    );
    const pdf = PDF('slow');
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = Buffer.concat([head, pdf, tail]);
    // A client that sends the start of its upload and then pauses: it holds the only slot.
    const slow = request({
      host: '127.0.0.1',
      port,
      path: `/commitments/${ids[0]}/reports`,
      method: 'POST',
      headers: {
        ...reporter().auth,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(body.length),
      },
    });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      slow.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      slow.on('error', reject);
    });
    slow.write(body.subarray(0, head.length + 10));
    const interceptor = t.app.get(EvidenceUploadInterceptor);
    await waitFor('the slow upload to take the slot', () => interceptor.uploadsInProgress >= 1, undefined, 25);
    expect(interceptor.uploadsInProgress).toBe(1);

    const [{ files: filesBefore }] = await t.db.query(`SELECT count(*)::int AS files FROM evidence_files`);
    const busy = await report().attach('files', PDF('busy'), { filename: 'busy.pdf', contentType: 'application/pdf' });
    expect(busy.status).toBe(429);
    expect(busy.body.code).toBe('uploads_busy');
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    slow.end(body.subarray(head.length + 10));
    const done = await answer;
    expect(done.status).toBe(201);
    expect(JSON.parse(done.body).files[0].sha256).toBe(sha(pdf));
    const [{ files: filesAfter }] = await t.db.query(`SELECT count(*)::int AS files FROM evidence_files`);
    expect(filesAfter).toBe(filesBefore + 1);

    const after = await report().attach('files', PDF('after'), {
      filename: 'after.pdf',
      contentType: 'application/pdf',
    });
    expect(after.status).toBe(201);
    expect(interceptor.uploadsInProgress).toBe(0);
    expect(leftOnDisk()).toEqual([]);
  });

  it('gives the slot back and leaves no file when a client stops in the middle of its upload', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const boundary = 'kelisim-abandoned-upload';
    const start = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="abandoned.pdf"\r\n` +
          `Content-Type: application/pdf\r\n\r\n`,
      ),
      PDF('abandoned'),
    ]);
    const abandoned = request({
      host: '127.0.0.1',
      port,
      path: `/commitments/${ids[0]}/reports`,
      method: 'POST',
      headers: {
        ...reporter().auth,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(start.length + 1_000_000),
      },
    });
    abandoned.on('error', () => undefined);
    abandoned.write(start);
    const interceptor = t.app.get(EvidenceUploadInterceptor);
    await waitFor('the upload to take the slot', () => interceptor.uploadsInProgress >= 1, undefined, 25);
    expect(interceptor.uploadsInProgress).toBe(1);
    abandoned.destroy();
    await waitFor(
      'the slot given back and no file left',
      () => interceptor.uploadsInProgress === 0 && leftOnDisk().length === 0,
      undefined,
      25,
    );
    expect(interceptor.uploadsInProgress).toBe(0);
    expect(leftOnDisk()).toEqual([]);
    const next = await report().attach('files', PDF('next'), { filename: 'next.pdf', contentType: 'application/pdf' });
    expect(next.status).toBe(201);
  });
});
