/**
 * The iCalendar (RFC 5545) feed written in parts: the VCALENDAR header (by ical-generator, from an
 * empty calendar), then the events rendered here in batches, then the footer — so a feed of
 * 20,000 events is streamed to the response with back-pressure instead of built by ical-generator
 * as one string (about 0.2 ms per event there, mostly its line folding). The events are the same
 * text ical-generator 10 writes for them (UID, SEQUENCE, DTSTAMP, all-day DTSTART, SUMMARY,
 * DESCRIPTION, two display alarms 7 days and 1 day before an open date): TEXT escaped (`\\ ; ,`
 * and line breaks) and lines folded at 75 octets without splitting a UTF-8 character;
 * `ics-writer.spec.ts` compares both renderings.
 */
import { Writable } from 'node:stream';
import { write } from './back-pressure';

export interface CalendarRow {
  occurrenceId: string;
  date: string;
  status: string;
  title: string;
  clauseRef: string | null;
  memorandumTitle: string;
}

export const ICS_FOOTER = 'END:VCALENDAR';
const EVENTS_PER_CHUNK = 500;
/** Days before an open date at which the two alarms ring. */
export const ALARM_DAYS = [7, 1] as const;

export const hasAlarms = (status: string) => status === 'planned' || status === 'in_progress';

/**
 * The header, as ical-generator writes it for an empty calendar of this name (up to the footer).
 * ical-generator is loaded with the first feed, not by every process at start-up.
 */
export async function icsHeader(name: string): Promise<string> {
  const { default: ical } = await import('ical-generator');
  const empty = ical({ name, prodId: calendarProdId }).toString();
  return empty.slice(0, empty.length - ICS_FOOTER.length);
}
export const calendarProdId = { company: 'Kelisim', product: 'follow-up', language: 'RU' };

/** DTSTAMP's form: UTC, seconds, no separators. */
export const icsStamp = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks as `\n`. */
export const escapeText = (s: string) => s.replace(/[\\;,]/g, '\\$&').replace(/\r\n|\r|\n/g, '\\n');

/** One content line folded: at most 75 octets per line (the continuation's leading space counted), never inside a character. */
export function fold(line: string): string {
  if (line.length <= 24 || Buffer.byteLength(line) <= 74) return line;
  let out = '';
  let octets = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    let ch = line[i];
    let size = code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < line.length) {
      ch += line[++i];
      size = 4;
    }
    octets += size;
    if (octets > 74) {
      out += '\r\n ';
      octets = size;
    }
    out += ch;
  }
  return out;
}

/** One VEVENT (with its alarms), lines ending in CRLF. */
export function icsEvent(r: CalendarRow, stamp: string): string {
  let s =
    `BEGIN:VEVENT\r\nUID:${fold(`${r.occurrenceId}@kelisim`)}\r\nSEQUENCE:0\r\nDTSTAMP:${stamp}\r\n` +
    `DTSTART;VALUE=DATE:${r.date.replace(/-/g, '')}\r\n` +
    `X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\nX-MICROSOFT-MSNCALENDAR-ALLDAYEVENT:TRUE\r\n` +
    `${fold(`SUMMARY:${escapeText(`${r.title} (${r.status})`)}`)}\r\n` +
    `${fold(`DESCRIPTION:${escapeText(`${r.memorandumTitle}${r.clauseRef ? ` — ${r.clauseRef}` : ''}`)}`)}\r\n`;
  if (hasAlarms(r.status)) {
    const description = fold(`DESCRIPTION:${escapeText(r.title)}`);
    for (const days of ALARM_DAYS)
      s += `BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P${days}D\r\n${description}\r\nEND:VALARM\r\n`;
  }
  return s + 'END:VEVENT\r\n';
}

/** The whole calendar to `out`: header, events in chunks of 500 (back-pressure between them), footer; then ends `out`. */
export async function writeCalendar(out: Writable, name: string, rows: CalendarRow[], at: Date): Promise<void> {
  const stamp = icsStamp(at);
  if (!(await write(out, await icsHeader(name)))) return;
  for (let i = 0; i < rows.length; i += EVENTS_PER_CHUNK) {
    let chunk = '';
    for (const r of rows.slice(i, i + EVENTS_PER_CHUNK)) chunk += icsEvent(r, stamp);
    if (!(await write(out, chunk))) return;
  }
  out.end(ICS_FOOTER);
}
