import { messageHtml, NOTICE_TOPICS, renderDigest, renderMessage } from './templates';

describe('message templates', () => {
  it('renders a reminder in the recipient language, text and escaped HTML', () => {
    const v = { title: 'Жастар <ынтымақтастығы>', organisationName: '«Жас Otan»', sequence: 2, maxCount: 3 };
    const kk = renderMessage('approval_reminder', 'kk', v);
    expect(kk.subject).toContain('Еске салу');
    expect(kk.text).toContain('2/3');
    expect(kk.html).toContain('Жастар &lt;ынтымақтастығы&gt;');
    expect(kk.html).not.toContain('<ынтымақтастығы>');
    expect(renderMessage('approval_reminder', 'ru', v).subject).toMatch(/^Напоминание/);
    expect(renderMessage('approval_reminder', 'en', v).subject).toMatch(/^Reminder/);
    expect(renderMessage('escalation', 'en', { title: 'X', stage: 'signing', sequence: 3 }).text).toContain(
      'has not signed after 3 reminders',
    );
    expect(renderMessage('term_notice', 'ru', { title: 'X', daysBefore: 30, endDate: '2024-09-28' }).text).toContain(
      '2024-09-28',
    );
  });

  it("counts days and reminders with each language's plural rules (1 day, not 1 days)", () => {
    const subject = (language: string, daysBefore: number) =>
      renderMessage('term_notice', language, { title: 'X', daysBefore, endDate: '2024-09-28' }).subject;
    expect([1, 30].map((n) => subject('en', n))).toEqual([
      'The memorandum "X" ends in 1 day',
      'The memorandum "X" ends in 30 days',
    ]);
    expect([1, 3, 5, 21, 90].map((n) => subject('ru', n).replace('Срок меморандума «X» истекает через ', ''))).toEqual([
      '1 день',
      '3 дня',
      '5 дней',
      '21 день',
      '90 дней',
    ]);
    expect(subject('kk', 1)).toBe('«X» меморандумының мерзімі 1 күннен кейін аяқталады');
    const escalation = (language: string, sequence: number) =>
      renderMessage('escalation', language, { title: 'X', stage: 'review', sequence, organisationName: 'P' }).text;
    expect(escalation('en', 1)).toContain('after 1 reminder.');
    expect(escalation('ru', 1)).toContain('после 1 напоминания.');
    expect(escalation('ru', 3)).toContain('после 3 напоминаний.');
  });

  it('builds the same HTML from the text alone as when rendering (e-mail rows keep the text only)', () => {
    const v = {
      title: 'Жастар <ынтымақтастығы>',
      organisationName: '«Жас Otan»',
      sequence: 2,
      maxCount: 3,
      link: 'https://k.example/m/1',
    };
    for (const language of ['kk', 'ru', 'en', 'de'])
      for (const topic of ['approval_reminder', 'escalation', 'term_notice'] as const) {
        const m = renderMessage(topic, language, { ...v, stage: 'signing', daysBefore: 30, endDate: '2024-09-28' });
        expect(messageHtml(language, m.text)).toBe(m.html);
      }
    expect(messageHtml('kk', 'a <b>\n\nc\n')).toBe(
      '<!doctype html><html lang="kk"><body><p>a &lt;b&gt;</p><p>c</p></body></html>',
    );
  });

  it('renders every notice in kk, ru and en with the link last, never an undefined value', () => {
    const v = {
      title: 'Бірлік',
      organisationName: 'Жас Отан',
      revisionNumber: 2,
      endDate: '2024-09-30',
      terminationDate: '2022-01-10',
      commitmentTitle: 'Concert',
      date: '2021-10-05',
      link: 'https://kelisim.example.kz/app/memoranda/1?tab=approvals',
    };
    for (const topic of NOTICE_TOPICS)
      for (const language of ['kk', 'ru', 'en']) {
        const m = renderMessage(topic, language, v);
        expect([topic, language, m.subject, m.text]).not.toEqual(
          expect.arrayContaining([expect.stringMatching(/undefined|null/)]),
        );
        expect(m.text.trimEnd().endsWith(v.link)).toBe(true);
      }
    // Without the optional values (a party's name, an end date, a termination date) the sentence still reads.
    const bare = { title: 'X', revisionNumber: 1, commitmentTitle: 'C', date: '2021-10-05' };
    for (const topic of NOTICE_TOPICS.filter((t) => t !== 'memorandum_renewed'))
      for (const language of ['kk', 'ru', 'en'])
        expect(renderMessage(topic, language, bare).text).not.toMatch(/undefined|null/);
  });

  it('renders the daily digest in the recipient language: a plural subject, each notice with its link, escaped HTML', () => {
    const item = (n: number) => ({ title: `«Меморандум <${n}>»`, link: `https://k.kz/app/memoranda/${n}?tab=text` });
    const items = (n: number) => Array.from({ length: n }, (_, i) => item(i + 1));
    const settings = 'https://k.kz/app/notification-preferences';
    expect([1, 3, 5, 21].map((n) => renderDigest('ru', items(n), settings).subject)).toEqual([
      'Kelisim: 1 непрочитанное уведомление',
      'Kelisim: 3 непрочитанных уведомления',
      'Kelisim: 5 непрочитанных уведомлений',
      'Kelisim: 21 непрочитанное уведомление',
    ]);
    expect(renderDigest('kk', items(2), settings).subject).toBe('Kelisim: оқылмаған 2 хабарлама');
    expect(renderDigest('en', items(1), settings).subject).toBe('Kelisim: 1 unread notice');
    const en = renderDigest('en', [...items(2), { title: 'No link', link: null }], settings);
    expect(en.text).toContain(`• «Меморандум <2>»\nhttps://k.kz/app/memoranda/2?tab=text`);
    expect(en.text).toContain(`Change your notification settings: ${settings}`);
    expect(en.text).not.toMatch(/undefined|null/);
    expect(en.html).toContain('&lt;1&gt;');
    expect(en.html).not.toContain('<1>');
    expect(en.html).toContain('lang="en"');
  });
});
