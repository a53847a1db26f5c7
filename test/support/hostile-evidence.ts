/**
 * Hostile evidence PDFs for POST /evidence/verify and `kelisim verify-evidence`: the smallest PDF
 * the verifier reads (a file specification naming kelisim-evidence.json and its stream), with an
 * attachment made to cost the verifier as much as it can — many approvals whose one matching
 * history event comes last. Deflated (as a PDF tool may re-save an attachment), so that 40,000
 * entries fit in about 33 KB.
 */
import { deflateSync } from 'node:zlib';

const HASH = 'a'.repeat(64);

/** A PDF whose only content is `attachment` as kelisim-evidence.json, deflated unless `plain`. */
export function pdfWithAttachment(attachment: Buffer, options: { plain?: boolean; padTo?: number } = {}): Buffer {
  const stream = options.plain ? attachment : deflateSync(attachment, { level: 9 });
  const filter = options.plain ? '' : ' /Filter /FlateDecode';
  const head = Buffer.from(
    '%PDF-1.7\n1 0 obj\n<< /Type /Filespec /F (kelisim-evidence.json) /EF << /F 2 0 R >> >>\nendobj\n' +
      `2 0 obj\n<< /Type /EmbeddedFile /Length ${stream.length}${filter} >>\nstream\n`,
    'latin1',
  );
  const tail = Buffer.from('\nendstream\nendobj\n', 'latin1');
  const end = Buffer.from('trailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const size = head.length + stream.length + tail.length + end.length;
  const pad = options.padTo && options.padTo > size ? Buffer.alloc(options.padTo - size, 0x20) : Buffer.alloc(0);
  return Buffer.concat([head, stream, tail, pad, end]);
}

/**
 * Evidence JSON with `approvals` approvals of one organisation and `events` history events of
 * which only the last records that approval: a check that looks every approval up among the
 * events reads approvals × events of them.
 */
export function costlyEvidence(approvals: number, events: number): Buffer {
  const terms = {
    title: 't',
    purpose: 'p',
    body: 'b',
    language: 'kk',
    timeZone: 'Asia/Almaty',
    effectiveDate: null,
    endDate: null,
    parties: [],
  };
  const approval = { organisationId: 'o', decision: 'approve', revisionNumber: 1, revisionHash: HASH };
  const filler = { seq: 0, action: 'comment', organisationId: 'x', revisionHash: null };
  const match = { seq: 0, action: 'approve', organisationId: 'o', revisionHash: HASH };
  const data = {
    v: 'kelisim.evidence.v1',
    memorandum: { id: 'm' },
    revision: { number: 1, hash: HASH, terms },
    parties: [],
    approvals: Array.from({ length: approvals }, () => approval),
    signatures: [],
    history: {
      events: [...Array.from({ length: Math.max(0, events - 1) }, () => filler), match],
      head: { seq: 1, hash: HASH },
    },
  };
  return Buffer.from(JSON.stringify(data), 'utf8');
}

/** The file: 40,000 entries (20,000 approvals, 20,000 events), about 33 KB deflated. */
export const quadraticEvidencePdf = () => pdfWithAttachment(costlyEvidence(20_000, 20_000));
