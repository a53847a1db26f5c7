/**
 * Checks of uploaded evidence files, each naming the file and the problem: size, the allow-list of
 * content types, bytes that really are the declared type (evidence-content.ts), a name whose
 * extension is that type's, and the declared SHA-256. The bytes wait in a file on disk (`path`),
 * seen once as they arrived (`scanned`).
 */
import { FieldError } from '@kelisim/platform';
import { contentProblem, EVIDENCE_TYPES, fileReader, ScannedContent } from './evidence-content';

export interface UploadedEvidence {
  originalname: string;
  mimetype: string;
  /** The bytes, on disk until the report's transaction has stored them. */
  path: string;
  scanned: ScannedContent;
}

export interface CheckedEvidence {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  path: string;
}

/** Longest stored file name, in characters (code points), as `evidence_files.name` holds. */
export const MAX_FILE_NAME = 255;

// Controls (C0, DEL, C1), the double quote, and the bidirectional controls that make `exe.pdf` of `fdp.exe` on screen.
// eslint-disable-next-line no-control-regex -- control characters are what is removed
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f-\u009f"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const graphemes = (s: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);
const codePoints = (s: string) => [...s].length;

/**
 * A file name safe to store and to send back, with the extension of its content type: no path, no
 * control or bidirectional-control characters, at most MAX_FILE_NAME characters — a longer one is
 * shortened before its extension, between whole characters (never inside an emoji or a letter
 * with its accents), and marked with `…`. A name without extension gets the type's; one with
 * another extension is a problem (`setup.exe` is not a PDF, `Отчёт.pdf.exe` not a spreadsheet).
 */
export function evidenceFileName(name: string, contentType: string): { name: string } | { problem: string } {
  const extensions = EVIDENCE_TYPES[contentType]?.extensions ?? [];
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(UNSAFE_IN_NAME, '')
    .trim()
    .replace(/[. ]+$/, '');
  // An extension is a short run of letters and digits after the last dot; `Протокол. Заседание 2` has none.
  const dot = /^(.*)\.([\p{L}\p{N}_-]{1,16})$/u.exec(clean);
  let stem = dot ? dot[1].trim() : clean;
  const extension = dot ? dot[2] : '';
  if (dot && !extensions.includes(extension.toLowerCase()))
    return {
      problem: `is named .${extension}, but a ${contentType} file must be named ${extensions.map((e) => `.${e}`).join(' or ')}`,
    };
  const suffix = `.${extension || extensions[0]}`;
  if (!stem) stem = 'evidence';
  if (codePoints(stem) + codePoints(suffix) > MAX_FILE_NAME) {
    const room = MAX_FILE_NAME - codePoints(suffix) - 1;
    let kept = '';
    for (const g of graphemes(stem)) {
      if (codePoints(kept) + codePoints(g) > room) break;
      kept += g;
    }
    stem = `${kept.trimEnd()}…`;
  }
  return { name: stem + suffix };
}

/** The name as sent, in quotes, its controls written as escapes: an answer must not reorder itself on screen either. */
const quoted = (name: string) =>
  JSON.stringify(name).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

type Refusal = { ok: false; status: 400 | 413 | 415 | 422; error: FieldError };

export async function checkEvidence(
  files: UploadedEvidence[],
  declared: string[] | undefined,
  limits: { maxFileBytes: number; contentTypes: string[] },
): Promise<{ ok: true; files: CheckedEvidence[] } | Refusal> {
  if (declared && declared.length !== files.length)
    return {
      ok: false,
      status: 422,
      error: { field: 'report.sha256', message: `lists ${declared.length} hashes for ${files.length} files` },
    };
  const out: CheckedEvidence[] = [];
  for (const [i, f] of files.entries()) {
    const field = `files[${i}]`;
    const refuse = (status: Refusal['status'], message: string): Refusal => ({
      ok: false,
      status,
      error: { field, message: `${quoted(f.originalname)} ${message}` },
    });
    const contentType = f.mimetype.toLowerCase().split(';')[0].trim();
    const { size, sha256 } = f.scanned;
    if (size > limits.maxFileBytes) return refuse(413, `is larger than ${limits.maxFileBytes} bytes`);
    if (!size) return refuse(400, 'is empty');
    const type = EVIDENCE_TYPES[contentType];
    if (!type || !limits.contentTypes.includes(contentType))
      return refuse(415, `has type ${contentType}; allowed: ${limits.contentTypes.join(', ')}`);
    const named = evidenceFileName(f.originalname, contentType);
    if ('problem' in named) return refuse(422, named.problem);
    const problem = await contentProblem(type.kind, f.scanned, fileReader(f.path));
    if (problem) return refuse(415, `was sent as ${contentType} but ${problem}`);
    if (declared && declared[i].toLowerCase() !== sha256)
      return refuse(422, `has SHA-256 ${sha256}, not the declared ${declared[i].toLowerCase()}`);
    out.push({ name: named.name, contentType, size, sha256, path: f.path });
  }
  return { ok: true, files: out };
}
