/**
 * Hostile evidence files on POST /evidence/verify, which needs no sign-in: a file built to make
 * the verifier quadratic, an attachment that inflates past the limit, a body past the limit, a
 * flood of requests from one address, and a verification past its time budget. Each is refused
 * with a clear status naming what is over; a genuine file still verifies, in a worker thread.
 */
import { EvidenceService, verifyEvidencePdf } from '@kelisim/evidence';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@kelisim/identity';
import { runCli } from './support/cli';
import { costlyEvidence, pdfWithAttachment, quadraticEvidencePdf } from './support/hostile-evidence';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

// Every caller of the verifier in this process calls it through this mock: a call is a verification on the event loop.
jest.mock('@kelisim/evidence', () => {
  const actual = jest.requireActual('@kelisim/evidence');
  return { ...actual, verifyEvidencePdf: jest.fn(actual.verifyEvidencePdf) };
});

const MiB = 1024 * 1024;
/** Evidence within every list limit that still takes the verifier a while: 40,000 history events. */
const slowEvidencePdf = () => pdfWithAttachment(costlyEvidence(5000, 40_000));

describe('hostile evidence files on POST /evidence/verify', () => {
  let t: TestApp;
  let user: TestUser;
  let genuine: Buffer;
  let memorandumId: string;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        TRUST_PROXY: 'true',
        EVIDENCE_VERIFY_RATE_LIMIT: '3',
        EVIDENCE_VERIFY_RATE_LIMIT_SIGNED_IN: '5',
        EVIDENCE_VERIFY_RATE_WINDOW_SECONDS: '120',
      },
    });
    const org = await createOrganisation(t, 'Қоғамдық келісім');
    user = await createUser(t, {
      fullName: 'Айгүл Нұрлан',
      email: 'a.n@kelisim.test',
      organisationId: org.id,
      roles: [Role.Coordinator],
    });
    const made = await t
      .http()
      .post('/memoranda')
      .set(user.auth)
      .send({ title: 'Дәлел', purpose: 'p', body: 'b', language: 'kk', coordinatingOrganisationId: org.id });
    memorandumId = made.body.id;
    await t.app.get(EvidenceService).render(memorandumId);
    const pdf = await t
      .http()
      .get(`/memoranda/${memorandumId}/evidence.pdf`)
      .set(user.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    genuine = pdf.body;
  });
  afterAll(() => t?.close());

  /** Each test from its own address, so that only the rate limit's test meets the limit. */
  const verify = (from: string, body: Buffer) =>
    t.http().post('/evidence/verify').set('X-Forwarded-For', from).set('Content-Type', 'application/pdf').send(body);

  it('verifies a genuine evidence PDF in a worker thread: the verifier never runs on the event loop', async () => {
    const onEventLoop = verifyEvidencePdf as jest.Mock;
    onEventLoop.mockClear();
    const res = await verify('198.51.100.1', genuine);
    expect(res.status).toBe(200);
    expect(res.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(res.body).toMatchObject({ valid: true, memorandumId });
    expect(onEventLoop).not.toHaveBeenCalled();
  });

  it('the 40,000-entry file (17 KB deflated) → 422 evidence_limit_exceeded naming approvals and its limit', async () => {
    const pdf = quadraticEvidencePdf();
    expect(pdf.length).toBeLessThan(40 * 1024);
    const res = await verify('198.51.100.2', pdf);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'evidence_limit_exceeded',
      errors: [{ field: 'approvals', message: 'approvals has 20000 entries; at most 5000 are read' }],
      details: { field: 'approvals', size: 20000, limit: 5000, unit: 'entries' },
    });
  });

  it('an attachment that inflates past 20 MiB (a 21 KB file) → 422 naming kelisim-evidence.json', async () => {
    const res = await verify('198.51.100.3', pdfWithAttachment(Buffer.alloc(21 * MiB, 0x20)));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'evidence_limit_exceeded',
      errors: [{ field: 'kelisim-evidence.json' }],
      details: { field: 'kelisim-evidence.json', limit: 20 * MiB, unit: 'bytes' },
    });
  });

  it('a body past 20 MiB → 413 naming the body and the limit', async () => {
    const res = await verify('198.51.100.4', Buffer.alloc(20 * MiB + 1, 0x20));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      code: 'payload_too_large',
      errors: [{ field: 'body', message: `larger than ${20 * MiB} bytes` }],
      details: { limit: 20 * MiB },
    });
  });

  it('the 4th verification from one address within the window → 429 with Retry-After; others go on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await verify('203.0.113.9', Buffer.from('not a pdf'))).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await verify('203.0.113.9', genuine);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'evidence_verify_throttled',
      details: { limit: 3, retryAfterSeconds: expect.any(Number) },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(120);
    // Another address, and a signed-in user at the same address (counted per user, with a higher limit).
    expect((await verify('203.0.113.10', genuine)).status).toBe(200);
    const signedIn = [];
    for (let i = 0; i < 6; i++)
      signedIn.push((await verify('203.0.113.9', Buffer.from('not a pdf')).set(user.auth)).status);
    expect(signedIn).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('an evidence verification past its time budget', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { EVIDENCE_VERIFY_TIMEOUT_MS: '1' } });
  });
  afterAll(() => t?.close());

  it('is stopped: 503 evidence_verification_timeout, and the process goes on answering', async () => {
    const res = await t.http().post('/evidence/verify').set('Content-Type', 'application/pdf').send(slowEvidencePdf());
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'evidence_verification_timeout', details: { timeoutMs: 1 } });
    expect((await t.http().get('/health')).status).toBe(200);
  });
});

describe('kelisim verify-evidence on a hostile file', () => {
  it('applies the same limits: the 40,000-entry file → exit 2 naming approvals and its limit', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kelisim-hostile-')), 'hostile.pdf');
    writeFileSync(file, quadraticEvidencePdf());
    const res = runCli(['verify-evidence', file]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("beyond the verifier's limits: approvals has 20000 entries; at most 5000 are read");
    expect(res.stdout).toBe('');
  });
});
