/**
 * What an evidence file's bytes are, by a small table of signatures rather than a general
 * detection library: the project accepts eight types and must answer, for each, "is this really
 * one", including what no signature tells (a DOCX that is in truth macro-enabled, a "CSV" that is
 * an executable). The table is the whole policy, read in one place and tested byte by byte
 * (evidence-content.spec.ts). Bytes are seen once, as they stream to disk (EvidenceScan); an
 * Office document's ZIP directory is read afterwards from the file, a few kilobytes at its end.
 */
import { createHash, Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

/** How much of the start of a file the signature checks see. */
export const HEAD_BYTES = 4096;

export type EvidenceKind = 'pdf' | 'png' | 'jpeg' | 'webp' | 'text' | 'docx' | 'xlsx';

/** Every content type Kelisim can check, its kind and the extensions a file of it may be named with (first: added when a name has none). */
export const EVIDENCE_TYPES: Record<string, { kind: EvidenceKind; extensions: string[] }> = {
  'image/jpeg': { kind: 'jpeg', extensions: ['jpg', 'jpeg'] },
  'image/png': { kind: 'png', extensions: ['png'] },
  'image/webp': { kind: 'webp', extensions: ['webp'] },
  'application/pdf': { kind: 'pdf', extensions: ['pdf'] },
  'text/csv': { kind: 'text', extensions: ['csv'] },
  'text/plain': { kind: 'text', extensions: ['txt', 'text', 'log'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'docx', extensions: ['docx'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'xlsx', extensions: ['xlsx'] },
};

const ascii = (s: string) => [...Buffer.from(s, 'latin1')];
/** Signatures at offset 0 (null: any byte), by kind; and formats no evidence may be, whatever it is declared as. */
const SIGNATURES: Record<Exclude<EvidenceKind, 'text'>, Array<Array<number | null>>> = {
  pdf: [ascii('%PDF-')],
  png: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  jpeg: [[0xff, 0xd8, 0xff]],
  webp: [[...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')]],
  docx: [ascii('PK\x03\x04')],
  xlsx: [ascii('PK\x03\x04')],
};
const EXECUTABLES: Array<[string, number[]]> = [
  ['a Windows executable (MZ)', ascii('MZ')],
  ['an ELF executable', ascii('\x7fELF')],
  ['a Mach-O executable', [0xcf, 0xfa, 0xed, 0xfe]],
  ['a Mach-O executable', [0xca, 0xfe, 0xba, 0xbe]],
];

const startsWith = (bytes: Buffer, sig: Array<number | null>) =>
  bytes.length >= sig.length && sig.every((b, i) => b === null || bytes[i] === b);

/** One file's bytes seen once as they stream: size, SHA-256, the first HEAD_BYTES, and whether it is UTF-8 text without NUL. */
export class EvidenceScan {
  private readonly hash: Hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private headParts: Buffer[] = [];
  private headLength = 0;
  private size = 0;
  private utf8 = true;
  private nul = false;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headParts.push(Buffer.from(part));
      this.headLength += part.length;
    }
    if (!this.nul && chunk.includes(0)) this.nul = true;
    if (this.utf8)
      try {
        this.decoder.decode(chunk, { stream: true });
      } catch {
        this.utf8 = false;
      }
  }

  finish(): ScannedContent {
    if (this.utf8)
      try {
        this.decoder.decode();
      } catch {
        this.utf8 = false;
      }
    return {
      size: this.size,
      sha256: this.hash.digest('hex'),
      head: Buffer.concat(this.headParts),
      utf8: this.utf8,
      nul: this.nul,
    };
  }
}

export interface ScannedContent {
  size: number;
  sha256: string;
  head: Buffer;
  /** The whole content is valid UTF-8. */
  utf8: boolean;
  /** The content holds a NUL byte somewhere. */
  nul: boolean;
}

/**
 * Why these bytes are not a file of `kind`, or null when they are. `readAt` reads the stored file
 * (for an Office document's ZIP directory).
 */
export async function contentProblem(
  kind: EvidenceKind,
  scanned: ScannedContent,
  readAt: (offset: number, length: number) => Promise<Buffer>,
): Promise<string | null> {
  const executable = EXECUTABLES.find(([, sig]) => startsWith(scanned.head, sig));
  if (executable) return `is ${executable[0]}`;
  if (kind === 'text') {
    if (!scanned.utf8) return 'is not UTF-8 text: save it as UTF-8';
    if (scanned.nul) return 'is not text: it holds NUL bytes (UTF-16 text must be saved as UTF-8)';
    return null;
  }
  if (!SIGNATURES[kind].some((sig) => startsWith(scanned.head, sig))) return `does not start as a ${kind} file does`;
  if (kind === 'docx' || kind === 'xlsx') {
    const found = await officeKind(scanned.size, readAt);
    if (typeof found !== 'string') return found.problem;
    if (found !== kind) return `is ${found === 'other' ? 'a ZIP archive, not an Office document' : `a ${found}`}`;
  }
  return null;
}

const MAIN_PARTS: Record<string, 'docx' | 'xlsx'> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': 'xlsx',
};
const MAX_CONTENT_TYPES_BYTES = 1024 * 1024;
const MAX_ENTRIES = 20_000;

/**
 * Which Office Open XML document a ZIP holds, from its directory and its `[Content_Types].xml`:
 * `docx`/`xlsx` when the main part is a (macro-free) document or workbook, `other` for any other
 * ZIP; a problem when it carries macros (a vbaProject.bin part, a macroEnabled type), is
 * encrypted, or its directory cannot be read.
 */
export async function officeKind(
  size: number,
  readAt: (offset: number, length: number) => Promise<Buffer>,
): Promise<'docx' | 'xlsx' | 'other' | { problem: string }> {
  const broken = { problem: 'is not a readable ZIP archive (Office documents are ZIP archives)' };
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return broken;
  const entries = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff)
    return { problem: 'is a ZIP64 archive, which no Office document of this size is' };
  if (entries > MAX_ENTRIES || cdOffset + cdSize > size) return broken;
  const cd = await readAt(cdOffset, cdSize);
  let at = 0;
  let contentTypes: { offset: number; compressed: number; method: number } | null = null;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50) return broken;
    const flags = cd.readUInt16LE(at + 8);
    const method = cd.readUInt16LE(at + 10);
    const compressed = cd.readUInt32LE(at + 20);
    const nameLength = cd.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    if (next > cd.length) return broken;
    const name = cd.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (flags & 1) return { problem: 'is encrypted' };
    if (/(^|\/)vbaproject\.bin$/i.test(name)) return { problem: 'contains macros (vbaProject.bin)' };
    if (name === '[Content_Types].xml') contentTypes = { offset: cd.readUInt32LE(at + 42), compressed, method };
    at = next;
  }
  if (!contentTypes) return 'other';
  const local = await readAt(contentTypes.offset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) return broken;
  const start = contentTypes.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + contentTypes.compressed > size) return broken;
  const raw = await readAt(start, contentTypes.compressed);
  let xml: string;
  try {
    if (contentTypes.method === 0) xml = raw.toString('utf8');
    else if (contentTypes.method === 8)
      xml = inflateRawSync(raw, { maxOutputLength: MAX_CONTENT_TYPES_BYTES }).toString('utf8');
    else return broken;
  } catch {
    return broken;
  }
  const types = [...xml.matchAll(/ContentType\s*=\s*"([^"]*)"/g)].map((m) => m[1].toLowerCase());
  if (types.some((t) => t.includes('macroenabled') || t.includes('vbaproject')))
    return { problem: 'is macro-enabled (its content types declare macros)' };
  const main = types.map((t) => MAIN_PARTS[t]).find(Boolean);
  return main ?? 'other';
}

/** Reads `length` bytes at `offset` of a file on disk. */
export function fileReader(path: string): (offset: number, length: number) => Promise<Buffer> {
  return async (offset, length) => {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
}
