/**
 * The revisions of a PDF, read from its structure rather than from the first `%%EOF` that happens
 * to appear: the last cross-reference section (the file must end with it), then each `/Prev` back
 * to the first. A memorandum's text may hold `%%EOF` or any marker; it sits inside the attached
 * JSON (where a line break is always escaped) or a content stream, never at a line start after
 * `startxref`, so it cannot be taken for the end of a revision.
 */

export interface PdfRevision {
  /** Offset just past this revision's `%%EOF` and its line end. */
  end: number;
  /** Offset just past its `%%EOF` (a signer may leave the line end out of what it signs). */
  eof: number;
  /** Offset of its cross-reference section (what its `startxref` names). */
  xrefAt: number;
  /** Its trailer dictionary (or the cross-reference stream's dictionary). */
  trailer: string;
  /** Object number → offset, for the objects this revision's cross-reference section lists. */
  objects: Map<number, number>;
  /** Object numbers it marks free (deleted), 0 aside. */
  freed: number[];
  /** Whether its cross-reference section is a classic table (else a stream, whose entries are not read). */
  classic: boolean;
}

export type Revisions = { ok: true; revisions: PdfRevision[] } | { ok: false; problem: string };

const END = /startxref[ \t]*\r?\n[ \t]*(\d+)[ \t]*\r?\n%%EOF(\r\n|\r|\n)?/g;
const MAX_REVISIONS = 64;

const isBlank = (b: number) => b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09 || b === 0x00;

/** The dictionary text of the object at `offset` (between `obj` and `stream`/`endobj`), or null. */
export function objectAt(
  text: string,
  offset: number,
): { number: number; dict: string; end: number; stream: boolean } | null {
  const head = /^(\d+)\s+(\d+)\s+obj\b/.exec(text.slice(offset, offset + 40));
  if (!head) return null;
  const endobj = text.indexOf('endobj', offset);
  if (endobj < 0) return null;
  const body = text.slice(offset + head[0].length, endobj);
  const streamAt = body.search(/\bstream\r?\n/);
  return {
    number: Number(head[1]),
    dict: streamAt >= 0 ? body.slice(0, streamAt) : body,
    end: endobj + 'endobj'.length,
    stream: streamAt >= 0,
  };
}

/** A classic cross-reference section's entries in use (`n`): object number → offset. */
function xrefTable(text: string, at: number): Section | null {
  const trailerAt = text.indexOf('trailer', at);
  if (trailerAt < 0) return null;
  const objects = new Map<number, number>();
  const freed: number[] = [];
  const lines = text.slice(at + 4, trailerAt).split(/\r\n|\r|\n/);
  let next = -1;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    const section = /^(\d+)\s+(\d+)$/.exec(line);
    if (section) {
      next = Number(section[1]);
      continue;
    }
    const entry = /^(\d{10})\s+(\d{5})\s+([nf])$/.exec(line);
    if (!entry || next < 0) return null;
    if (entry[3] === 'n') objects.set(next, Number(entry[1]));
    else if (next !== 0) freed.push(next);
    next++;
  }
  const dictEnd = text.indexOf('startxref', trailerAt);
  return {
    objects,
    freed,
    classic: true,
    trailer: text.slice(trailerAt + 'trailer'.length, dictEnd < 0 ? undefined : dictEnd),
  };
}

type Section = Pick<PdfRevision, 'objects' | 'freed' | 'classic' | 'trailer'>;

/** One revision's cross-reference section: a classic table, or a stream's dictionary (objects then unknown). */
function section(text: string, at: number): Section | null {
  if (text.startsWith('xref', at)) return xrefTable(text, at);
  const obj = objectAt(text, at);
  if (obj && /\/Type\s*\/XRef\b/.test(obj.dict))
    return { objects: new Map(), freed: [], classic: false, trailer: obj.dict };
  return null;
}

export function pdfRevisions(pdf: Buffer, text = pdf.toString('latin1')): Revisions {
  let tail = pdf.length;
  while (tail > 0 && isBlank(pdf[tail - 1])) tail--;
  if (text.slice(tail - 5, tail) !== '%%EOF')
    return { ok: false, problem: 'the file does not end with %%EOF: it was cut short, or something follows its end' };
  const ends: Array<{ end: number; eof: number; xrefAt: number }> = [];
  for (const m of text.matchAll(END))
    ends.push({ end: m.index + m[0].length, eof: m.index + m[0].length - (m[2]?.length ?? 0), xrefAt: Number(m[1]) });
  // Looked up by offset: a hostile file may hold a million end-of-file lines.
  const byXref = new Map<number, typeof ends>();
  for (const e of ends) {
    const list = byXref.get(e.xrefAt);
    if (list) list.push(e);
    else byXref.set(e.xrefAt, [e]);
  }
  let current = ends.at(-1);
  if (!current || current.end < tail)
    return { ok: false, problem: 'the file does not end with a cross-reference section: it was cut short or altered' };
  const revisions: PdfRevision[] = [];
  for (;;) {
    if (revisions.length >= MAX_REVISIONS) return { ok: false, problem: `more than ${MAX_REVISIONS} revisions` };
    const s = current.xrefAt < current.end ? section(text, current.xrefAt) : null;
    if (!s) return { ok: false, problem: `the cross-reference section at ${current.xrefAt} cannot be read` };
    revisions.unshift({ ...current, ...s });
    const prev = /\/Prev\s+(\d+)/.exec(s.trailer);
    if (!prev) break;
    const at = Number(prev[1]);
    const before: number = current.xrefAt;
    const found =
      at < before
        ? byXref
            .get(at)
            ?.filter((e) => e.end <= before)
            .at(-1)
        : undefined;
    if (!found) return { ok: false, problem: `the revision before the one at ${before} cannot be found (/Prev ${at})` };
    current = found;
  }
  return { ok: true, revisions };
}

/** `/Key n 0 R` of a dictionary, or NaN. */
export function refOf(dict: string, key: string): number {
  return Number(new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(dict)?.[1] ?? NaN);
}
