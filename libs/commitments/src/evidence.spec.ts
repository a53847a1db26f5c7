import { deflateRawSync } from 'node:zlib';
import { DEFAULT_EVIDENCE_CONTENT_TYPES, validateEnvironment } from '@kelisim/platform';
import { evidenceFileName, MAX_FILE_NAME } from './evidence';
import { contentProblem, EVIDENCE_TYPES, EvidenceScan, officeKind } from './evidence-content';

const scan = (...chunks: Buffer[]) => {
  const s = new EvidenceScan();
  for (const c of chunks) s.update(c);
  return s.finish();
};
const reader = (bytes: Buffer) => async (offset: number, length: number) => bytes.subarray(offset, offset + length);

/** A one-entry-per-part ZIP, deflated as Office writes it. */
function zip(entries: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const dir: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = deflateRawSync(Buffer.from(text));
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, n, data);
    dir.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(dir);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(dir.length / 2, 8);
  end.writeUInt16LE(dir.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}
const types = (...t: string[]) =>
  `<Types>${t.map((x) => `<Override PartName="/p" ContentType="${x}"/>`).join('')}</Types>`;
const WORD = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const EXCEL = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';

describe('evidence content', () => {
  it('checks every content type allowed by default, and no other', () => {
    expect(Object.keys(EVIDENCE_TYPES).sort()).toEqual([...DEFAULT_EVIDENCE_CONTENT_TYPES].sort());
  });

  it('lets EVIDENCE_CONTENT_TYPES narrow the checked types, never add one without a check', () => {
    expect(validateEnvironment({ EVIDENCE_CONTENT_TYPES: 'application/pdf, image/PNG' }).EVIDENCE_CONTENT_TYPES).toBe(
      'application/pdf, image/PNG',
    );
    expect(() => validateEnvironment({ EVIDENCE_CONTENT_TYPES: 'application/pdf,application/zip' })).toThrow(
      /EVIDENCE_CONTENT_TYPES=.*among image\/jpeg/,
    );
  });

  it('scans chunks: size, hash, head, UTF-8 split across chunks, NUL', () => {
    const text = Buffer.from('Қатысушылар');
    const s = scan(text.subarray(0, 1), text.subarray(1));
    expect(s).toMatchObject({ size: text.length, utf8: true, nul: false });
    expect(s.head.equals(text)).toBe(true);
    expect(scan(Buffer.from([0xd2])).utf8).toBe(false);
    expect(scan(Buffer.from('a\0b')).nul).toBe(true);
  });

  it.each([
    ['pdf', Buffer.from('%PDF-1.7\n'), null],
    ['pdf', Buffer.from('%PDF1.7\n'), /does not start/],
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), null],
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), /does not start/],
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe1]), null],
    ['webp', Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'), null],
    ['webp', Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'), /does not start/],
    ['text', Buffer.from('a;b\n'), null],
    ['text', Buffer.from('MZ\x90\x00', 'latin1'), /Windows executable/],
    ['text', Buffer.from('\x7fELF\x02\x01', 'latin1'), /ELF/],
    ['text', Buffer.from('a\0b'), /NUL/],
  ] as const)('%s: %j', async (kind, bytes, problem) => {
    const found = await contentProblem(kind, scan(bytes), reader(bytes));
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeNull();
  });

  it('tells a DOCX from an XLSX, a macro-enabled document and a plain ZIP', async () => {
    const kind = (entries: Record<string, string>) => {
      const z = zip(entries);
      return officeKind(z.length, reader(z));
    };
    expect(await kind({ '[Content_Types].xml': types(WORD) })).toBe('docx');
    expect(await kind({ '[Content_Types].xml': types(EXCEL) })).toBe('xlsx');
    expect(await kind({ 'a.txt': 'x' })).toBe('other');
    expect(
      await kind({ '[Content_Types].xml': types('application/vnd.ms-excel.sheet.macroEnabled.main+xml') }),
    ).toEqual({
      problem: expect.stringMatching(/macro/),
    });
    expect(await kind({ '[Content_Types].xml': types(WORD), 'word/vbaProject.bin': 'x' })).toEqual({
      problem: expect.stringMatching(/vbaProject/),
    });
    expect(await officeKind(10, reader(Buffer.from('PK\x03\x04xxxxxx')))).toEqual({ problem: expect.any(String) });
    const z = zip({ '[Content_Types].xml': types(WORD) });
    expect(await contentProblem('xlsx', scan(z), reader(z))).toMatch(/is a docx/);
  });
});

describe('evidence file names', () => {
  const named = (name: string, type = 'application/pdf') => evidenceFileName(name, type);

  it.each([
    ['Тізім.pdf', 'Тізім.pdf'],
    ['C:\\Users\\a\\Отчёт.PDF', 'Отчёт.PDF'],
    ['итоги', 'итоги.pdf'],
    ['Протокол. Заседание 2', 'Протокол. Заседание 2.pdf'],
    ['.pdf', 'evidence.pdf'],
    ['Отчёт\u202eфдп.pdf', 'Отчётфдп.pdf'],
    ['\u2066a\u2069\u200e\u200f\u061c.pdf', 'a.pdf'],
    ['a\u0085b"c.pdf ', 'abc.pdf'],
  ])('%j → %j', (name, clean) => expect(named(name)).toEqual({ name: clean }));

  it.each([
    ['setup.exe', 'text/plain', /\.exe/],
    ['Attendance.pdf.exe', 'application/pdf', /\.exe/],
    ['Протокол.docm', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', /\.docm/],
    ['run.bat', 'text/csv', /\.bat.*\.csv/],
    ['Attendance\u202excod.exe', 'application/pdf', /\.exe/],
  ])('refuses %j as %s', (name, type, problem) =>
    expect(named(name, type)).toEqual({ problem: expect.stringMatching(problem) }),
  );

  it('shortens between whole characters, keeping the extension', () => {
    const emoji = named('я'.repeat(253) + '🎉');
    expect(emoji).toEqual({ name: `${'я'.repeat(250)}….pdf` });
    const family = named(`${'я'.repeat(249)}👩‍👩‍👧${'я'.repeat(10)}.pdf`);
    expect(family).toEqual({ name: `${'я'.repeat(249)}….pdf` });
    const fits = 'я'.repeat(MAX_FILE_NAME - 5) + '🎉.pdf';
    expect(named(fits)).toEqual({ name: fits });
    for (const n of [emoji, family]) if ('name' in n) expect([...n.name].length).toBeLessThanOrEqual(MAX_FILE_NAME);
  });
});
