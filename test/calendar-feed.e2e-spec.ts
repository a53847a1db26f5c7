/**
 * The calendars, streamed (libs/commitments/src/exports/ics-writer.ts): whole iCalendar documents
 * with the headers they had when rendered in one string, a weak ETag of their events, and 304 to
 * a client that sends it back in If-None-Match.
 */
import {
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  moveClock,
  person,
  signByAll,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';

describe('calendar feeds: streamed, with a weak ETag and 304', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    id = await draftTarazMemorandum(t, tz);
    await addTarazCommitments(t, tz, id);
    const hash = await submitAndApprove(t, tz, id);
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
  });
  afterAll(() => t?.close());

  it("serves a memorandum's calendar whole, with a weak ETag; 304 when the client has it, 200 when not", async () => {
    const auth = person(tz, 'dulaty').auth;
    const res = await t.http().get(`/memoranda/${id}/calendar.ics`).set(auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(res.text.endsWith('\r\nEND:VEVENT\r\nEND:VCALENDAR')).toBe(true);
    expect(res.text.match(/BEGIN:VEVENT/g)).toHaveLength(21);
    for (const line of res.text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const etag = res.headers.etag;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);

    const again = await t.http().get(`/memoranda/${id}/calendar.ics`).set(auth).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    const stale = await t.http().get(`/memoranda/${id}/calendar.ics`).set(auth).set('If-None-Match', 'W/"other"');
    expect(stale.status).toBe(200);
    expect(stale.headers.etag).toBe(etag);
  });

  it("serves an organisation's feed by its token the same way, cacheable privately", async () => {
    const made = await t.http().post('/me/feed-tokens').set(person(tz, 'kelisim').auth).send({ name: 'Thunderbird' });
    expect(made.status).toBe(201);
    const url = `/organisations/${tz.kelisim.id}/calendar.ics`;
    const res = await t.http().get(url).query({ token: made.body.token });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    expect(res.text.endsWith('END:VCALENDAR')).toBe(true);
    expect(res.text.match(/BEGIN:VEVENT/g)?.length).toBeGreaterThan(0);
    const again = await t.http().get(url).query({ token: made.body.token }).set('If-None-Match', res.headers.etag);
    expect(again.status).toBe(304);
  });
});
