import { costlyEvidence, pdfWithAttachment } from '../../../test/support/hostile-evidence';
import { EVIDENCE_LIST_LIMITS, EvidenceLimitExceeded } from './evidence-limits';
import { verifyEvidencePdf } from './evidence-verifier';

const HASH = 'a'.repeat(64);

/** Evidence JSON with `approvals` approvals, each recorded by one of `events` events (in reverse order). */
function decided(approvals: number, events: number, unrecorded?: string) {
  const orgs = Array.from({ length: approvals }, (_, i) => `org-${i}`);
  return {
    v: 'kelisim.evidence.v1',
    memorandum: { id: 'm' },
    revision: { number: 1, hash: HASH, terms: { title: 't', parties: [] } },
    parties: [],
    approvals: orgs.map((o) => ({ organisationId: o, decision: 'approve', revisionHash: HASH })),
    signatures: orgs.map((o) => ({ organisationId: o, revisionHash: HASH })),
    history: {
      events: [
        ...Array.from({ length: events - 2 * approvals }, () => ({ action: 'comment', organisationId: 'x' })),
        ...[...orgs]
          .reverse()
          .filter((o) => o !== unrecorded)
          .flatMap((o) => [
            { action: 'approve', organisationId: o, revisionHash: HASH },
            { action: 'sign', organisationId: o, revisionHash: HASH },
          ]),
      ],
      head: { seq: 1, hash: HASH },
    },
  };
}

const pdfOf = (data: unknown) => pdfWithAttachment(Buffer.from(JSON.stringify(data)));

/** The error verifyEvidencePdf throws for `pdf`, or null when it answers a verdict. */
function refusal(pdf: Buffer): EvidenceLimitExceeded | null {
  try {
    verifyEvidencePdf(pdf);
    return null;
  } catch (e) {
    return e as EvidenceLimitExceeded;
  }
}

/**
 * The verdict on `pdf`, and how often the verifier read the events' `action` and `organisationId`:
 * a scan of the events per approval reads them approvals × events times.
 */
function verifyCounting(pdf: Buffer) {
  let reads = 0;
  const parse = JSON.parse;
  const spy = jest.spyOn(JSON, 'parse').mockImplementation((text: string) => {
    const d = parse(text);
    d.history.events = d.history.events.map((e: Record<string, unknown>) => {
      const counted = { ...e };
      for (const key of ['action', 'organisationId'])
        Object.defineProperty(counted, key, {
          enumerable: true,
          get: () => {
            reads++;
            return e[key];
          },
        });
      return counted;
    });
    return d;
  });
  try {
    return { verdict: verifyEvidencePdf(pdf), reads };
  } finally {
    spy.mockRestore();
  }
}

describe('evidence verification costs at most O(n log n)', () => {
  it('looks approvals and signatures up by key: each event is read a bounded number of times', () => {
    const n = 3000;
    const { verdict, reads } = verifyCounting(pdfOf(decided(n, 2 * n)));
    expect(verdict.checks.filter((c) => ['approvals', 'signatures'].includes(c.name) && !c.ok)).toEqual([]);
    expect(reads).toBeLessThanOrEqual(10 * 2 * n);
  });

  it('verifies 5,000 approvals and 5,000 signatures against 40,000 events, naming one that is not recorded', () => {
    const ok = verifyCounting(pdfOf(decided(5000, 40_000)));
    const named = (v: typeof ok, name: string) => v.verdict.checks.find((c) => c.name === name);
    expect(named(ok, 'approvals')).toMatchObject({ ok: true, detail: expect.stringMatching(/^5000 name revision/) });
    expect(named(ok, 'signatures')).toMatchObject({ ok: true });
    const missing = verifyCounting(pdfOf(decided(5000, 40_000, 'org-1234')));
    expect(named(missing, 'approvals')).toEqual({
      name: 'approvals',
      ok: false,
      detail: 'approvals of org-1234: not recorded in the hashed history',
    });
    expect(ok.reads + missing.reads).toBeLessThanOrEqual(10 * 2 * 40_000);
  });

  it("refuses the issue's 40,000-entry file (20,000 approvals, 20,000 events): approvals over the limit", () => {
    const e = refusal(pdfWithAttachment(costlyEvidence(20_000, 20_000)));
    expect(e).toBeInstanceOf(EvidenceLimitExceeded);
    expect(e).toMatchObject({ field: 'approvals', size: 20_000, limit: EVIDENCE_LIST_LIMITS.approvals });
    expect(e!.message).toBe('approvals has 20000 entries; at most 5000 are read');
  });
});

describe('evidence verification limits', () => {
  it.each(Object.entries(EVIDENCE_LIST_LIMITS))('refuses a file whose %s has more than %d entries', (field, limit) => {
    const data = JSON.parse(costlyEvidence(1, 1).toString('utf8'));
    const over = Array.from({ length: limit + 1 }, () => ({}));
    if (field === 'parties[].representatives') data.parties = [{ representatives: over }];
    else if (field.startsWith('revision.terms.')) data.revision.terms[field.slice('revision.terms.'.length)] = over;
    else if (field === 'history.events') data.history.events = over;
    else data[field] = over;
    expect(refusal(pdfOf(data))).toMatchObject({ field, size: limit + 1, limit, unit: 'entries' });
    // At the limit, it is verified (and fails on its merits).
    if (field === 'parties[].representatives') data.parties = [{ representatives: over.slice(1) }];
    else if (field.startsWith('revision.terms.'))
      data.revision.terms[field.slice('revision.terms.'.length)] = over.slice(1);
    else if (field === 'history.events') data.history.events = over.slice(1);
    else data[field] = over.slice(1);
    expect(refusal(pdfOf(data))).toBeNull();
  });

  it('refuses an attachment that inflates beyond 20 MiB (some KB in the file), and a file beyond 20 MiB', () => {
    const bomb = pdfWithAttachment(Buffer.alloc(21 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(refusal(bomb)).toMatchObject({ field: 'kelisim-evidence.json', limit: 20 * 1024 * 1024, unit: 'bytes' });
    const big = pdfWithAttachment(Buffer.from('{}'), { plain: true, padTo: 20 * 1024 * 1024 + 1 });
    expect(refusal(big)).toMatchObject({ field: 'file', limit: 20 * 1024 * 1024, unit: 'bytes' });
  });
});

describe('the seal check on a hostile file', () => {
  it('does not parse a "signature" larger than 256 KiB: the seal fails, naming the limit', () => {
    const head = '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n';
    const xrefAt = head.length;
    const issued = Buffer.from(
      `${head}xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\n` +
        `startxref\n${xrefAt}\n%%EOF\n`,
      'latin1',
    );
    const hex = `<30${'00'.repeat(300 * 1024)}>`;
    const at = (n: number) => String(n).padStart(10, '0');
    const sig = (b: number, c: number, d: number) =>
      `2 0 obj\n<< /Type /Sig /ByteRange [0 ${at(b)} ${at(c)} ${at(d)}] /Contents `;
    const b = issued.length + sig(0, 0, 0).length;
    const c = b + hex.length;
    const rest = (xref: number) =>
      `\n>>\nendobj\nxref\n0 1\n0000000000 65535 f \n2 1\n${at(issued.length)} 00000 n \n` +
      `trailer\n<< /Size 3 /Root 1 0 R /Prev ${xrefAt} >>\nstartxref\n${xref}\n%%EOF\n`;
    const xref = c + '\n>>\nendobj\n'.length;
    const d = rest(xref).length;
    const pdf = Buffer.concat([issued, Buffer.from(sig(b, c, d) + hex + rest(xref), 'latin1')]);
    expect(verifyEvidencePdf(pdf).checks.find((x) => x.name === 'seal')).toEqual({
      name: 'seal',
      ok: false,
      detail: 'what follows the file as issued is not a valid seal: its signature is larger than 262144 bytes',
    });
  });
});
