/**
 * Evidence files for upload tests: genuine ones of every accepted type (an XLSX written by
 * exceljs, a DOCX as Word lays it out), the disguised executables of issue 22, and a memorandum
 * whose parties may report on a commitment.
 */
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import {
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  moveClock,
  signByAll,
  submitAndApprove,
  Taraz,
} from '../memoranda.fixture';
import { TestApp } from './test-app';

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A ZIP archive of `entries`, stored (not compressed). */
export function zip(entries: Record<string, string | Buffer>): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const n = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, n, data);
    directory.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(directory.length / 2, 8);
  end.writeUInt16LE(directory.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const DOCUMENT = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Қатысушылар тізімі</w:t></w:r></w:p></w:body></w:document>`;
const contentTypes = (main: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${extra}<Override PartName="/word/document.xml" ContentType="${main}"/></Types>`;

/** A Word document as Word writes one (its parts, not Word's compression). */
export const docx = () =>
  zip({
    '[Content_Types].xml': contentTypes(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    ),
    '_rels/.rels': RELS,
    'word/document.xml': DOCUMENT,
  });

/** A macro-enabled Word document (.docm): its main part's type says so, and it carries the VBA project. */
export const docm = () =>
  zip({
    '[Content_Types].xml': contentTypes(
      'application/vnd.ms-word.document.macroEnabled.main+xml',
      '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    ),
    '_rels/.rels': RELS,
    'word/document.xml': DOCUMENT,
    'word/vbaProject.bin': Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
  });

export async function xlsx(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Қатысушылар');
  sheet.addRow(['Аты-жөні', 'Ұйым']);
  sheet.addRow(['Айгерим Серикова', 'Жас Отан']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A Windows executable's first bytes: `MZ`, the DOS stub, NULs. */
export const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'),
  Buffer.alloc(48),
  Buffer.from('This program cannot be run in DOS mode.\r\r\n$', 'latin1'),
  Buffer.alloc(128),
]);
export const BAT = Buffer.from('@echo off\r\nstart "" calc.exe\r\n', 'utf8');
export const PDF = (note = 'Kelisim evidence') =>
  Buffer.from(`%PDF-1.4\n% ${note}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`, 'utf8');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
export const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
  Buffer.from('JFIF\0'),
  Buffer.alloc(64, 9),
]);
export const CSV = Buffer.from('Аты-жөні;Ұйым\nАйгерим Серикова;Жас Отан\n', 'utf8');

/** An active memorandum with commitments, signed by all: `ids[0]` may be reported on by youth-office. */
export async function reportableMemorandum(t: TestApp): Promise<{ tz: Taraz; id: string; ids: string[] }> {
  const tz = await createTaraz(t);
  const id = await draftTarazMemorandum(t, tz);
  const ids = await addTarazCommitments(t, tz, id);
  const hash = await submitAndApprove(t, tz, id);
  await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
  await signByAll(t, tz, id, hash);
  await moveClock(t, tz, '2021-10-05T10:00:00+06:00');
  return { tz, id, ids };
}
