import { renderMessage } from './templates';

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
});
