/**
 * Hostile evidence uploads (issue 22): executables disguised by their declared type or their name,
 * macro-enabled Office documents, and names that hide their extension behind bidirectional
 * controls. Each is refused with a 4xx naming the file (`files[i]`, its name in the message) and
 * the problem, and leaves nothing written: no report, file, blob, chunk or history event, and no
 * temporary file left behind.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { person, Taraz } from './memoranda.fixture';
import { BAT, docm, DOCX, EXE, PDF, reportableMemorandum, XLSX } from './support/evidence-files';
import { startTestApp, TestApp } from './support/test-app';

describe('hostile evidence uploads', () => {
  let t: TestApp;
  let tz: Taraz;
  let ids: string[];
  // Temporary files go under TMPDIR: a directory of this test's own, checked empty after each case.
  const tmp = mkdtempSync(join(tmpdir(), 'kelisim-hostile-uploads-'));
  const previousTmp = process.env.TMPDIR;

  beforeAll(async () => {
    process.env.TMPDIR = tmp;
    t = await startTestApp();
    ({ tz, ids } = await reportableMemorandum(t));
  });
  afterAll(async () => {
    process.env.TMPDIR = previousTmp;
    await t?.close();
  });

  const leftOnDisk = () => readdirSync(tmp, { recursive: true });
  const footprint = async () =>
    (
      await t.db.query(
        `SELECT (SELECT count(*)::int FROM activity_reports) AS reports,
                (SELECT count(*)::int FROM evidence_files) AS files,
                (SELECT count(*)::int FROM evidence_blobs) AS blobs,
                (SELECT count(*)::int FROM history_events) AS history`,
      )
    )[0];
  const upload = (file: Buffer, filename: string, contentType: string) =>
    t
      .http()
      .post(`/commitments/${ids[0]}/reports`)
      .set(person(tz, 'youth-office').auth)
      .field('report', JSON.stringify({ date: '2021-09-28', summary: 'Hostile' }))
      .attach('files', file, { filename, contentType });

  const cases: Array<[string, Buffer, string, string, number, RegExp]> = [
    ['setup.exe sent as text/plain', EXE, 'setup.exe', 'text/plain', 422, /is named \.exe/],
    ['Attendance.pdf.exe sent as XLSX', EXE, 'Attendance.pdf.exe', XLSX, 422, /is named \.exe/],
    ['a macro-enabled .docm sent as DOCX', docm(), 'Протокол.docm', DOCX, 422, /is named \.docm/],
    ['a .bat sent as CSV', BAT, 'run.bat', 'text/csv', 422, /is named \.bat/],
    // The same files under a name that fits: the bytes alone refuse them.
    ['an executable named .txt', EXE, 'readme.txt', 'text/plain', 415, /Windows executable/],
    ['an executable named .xlsx', EXE, 'Attendance.xlsx', XLSX, 415, /Windows executable/],
    ['a macro-enabled document named .docx', docm(), 'Протокол.docx', DOCX, 415, /macros/],
    ['an executable named .csv', EXE, 'list.csv', 'text/csv', 415, /Windows executable/],
    ['an executable named .pdf', EXE, 'Тізім.pdf', 'application/pdf', 415, /Windows executable/],
    ['a PDF named .docx', PDF(), 'Протокол.docx', DOCX, 415, /does not start as a docx/],
    ['UTF-16 text as CSV', Buffer.from('\ufeffa;b\n', 'utf16le'), 'list.csv', 'text/csv', 415, /UTF-8|NUL/],
    ['invalid UTF-8 as text', Buffer.from([0x61, 0xff, 0xfe, 0x62]), 'notes.txt', 'text/plain', 415, /UTF-8/],
    // U+202E shows `Attendancexcod.exe` as `Attendanceexe.docx`: the control is dropped and the real extension seen.
    ['a right-to-left override hiding .exe', EXE, 'Attendance\u202excod.exe', DOCX, 422, /is named \.exe/],
    ['a right-to-left override hiding .exe (PDF bytes)', PDF(), 'Тізім\u202Efdp.exe', 'application/pdf', 422, /\.exe/],
  ];

  it.each(cases)(
    'refuses %s, naming the file and the problem, and writes nothing',
    async (_n, file, name, type, status, problem) => {
      const before = await footprint();
      const res = await upload(file, name, type);
      expect(res.status).toBe(status);
      expect(res.body.errors).toEqual([{ field: 'files[0]', message: expect.stringMatching(problem) }]);
      // The name as sent, its bidirectional controls escaped (`\u202e`) so that the answer shows what was really sent.
      expect(res.body.errors[0].message).toContain(
        JSON.stringify(name).replace(/[\u202a-\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`),
      );
      expect(await footprint()).toEqual(before);
      expect(leftOnDisk()).toEqual([]);
    },
  );

  it('strips bidirectional controls from a name whose real extension fits', async () => {
    const res = await upload(PDF('bidi'), '\u202bОтчёт\u200f \u2066итоги\u2069\u202e.pdf', 'application/pdf');
    expect(res.status).toBe(201);
    expect(res.body.files[0].name).toBe('Отчёт итоги.pdf');
    const [{ name }] = await t.db.query(`SELECT name FROM evidence_files WHERE id = $1`, [res.body.files[0].id]);
    expect(name).toBe('Отчёт итоги.pdf');
    expect(leftOnDisk()).toEqual([]);
  });
});
