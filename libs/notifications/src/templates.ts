/**
 * Message templates in the recipient's language (kk, ru, en): subject, plain text and HTML.
 * Pure; every value interpolated into HTML is escaped.
 */
export type MessageLanguage = 'kk' | 'ru' | 'en';
export type MessageTopic =
  | 'approval_reminder'
  | 'signature_reminder'
  | 'escalation'
  | 'term_notice'
  | 'commitment_due'
  | 'commitment_overdue'
  | 'commitment_escalation';

export interface MessageVars {
  title: string;
  organisationName?: string;
  sequence?: number;
  maxCount?: number;
  /** escalation: which stage is stuck. */
  stage?: 'review' | 'signing';
  daysBefore?: number;
  endDate?: string;
  link?: string;
  /** Follow-up: the commitment and the date of the occurrence. */
  commitmentTitle?: string;
  date?: string;
  /** Follow-up: days an occurrence is overdue. */
  daysOverdue?: number;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

type Lines = (v: MessageVars) => { subject: string; lines: string[] };

type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * `n` and the word in the form the language's CLDR plural rules choose (Intl.PluralRules):
 * 1 day / 2 days; 1 день / 3 дня / 5 дней / 21 день; Kazakh keeps one form after a numeral.
 */
export function plural(language: MessageLanguage, n: number, forms: PluralForms): string {
  return `${n} ${forms[new Intl.PluralRules(language).select(n)] ?? forms.other}`;
}

const days = {
  kk: (n: number) => plural('kk', n, { other: 'күннен' }),
  ru: (n: number) => plural('ru', n, { one: 'день', few: 'дня', many: 'дней', other: 'дня' }),
  en: (n: number) => plural('en', n, { one: 'day', other: 'days' }),
};
const reminders = {
  kk: (n: number) => plural('kk', n, { other: 'еске салудан' }),
  ru: (n: number) =>
    plural('ru', n, { one: 'напоминания', few: 'напоминаний', many: 'напоминаний', other: 'напоминания' }),
  en: (n: number) => plural('en', n, { one: 'reminder', other: 'reminders' }),
};

const TEMPLATES: Record<MessageTopic, Record<MessageLanguage, Lines>> = {
  approval_reminder: {
    kk: (v) => ({
      subject: `Еске салу: «${v.title}» меморандумы бойынша шешім күтілуде`,
      lines: [
        `«${v.title}» меморандумының жобасы ${v.organisationName ?? 'сіздің ұйымыңыздың'} шешімін күтуде.`,
        `Жобаны қарап, келісіңіз немесе өзгерістер сұраңыз. Еске салу ${v.sequence}/${v.maxCount}.`,
      ],
    }),
    ru: (v) => ({
      subject: `Напоминание: ожидается решение по меморандуму «${v.title}»`,
      lines: [
        `Проект меморандума «${v.title}» ожидает решения ${v.organisationName ?? 'вашей организации'}.`,
        `Пожалуйста, рассмотрите проект и одобрите его или запросите изменения. Напоминание ${v.sequence} из ${v.maxCount}.`,
      ],
    }),
    en: (v) => ({
      subject: `Reminder: your decision on the memorandum "${v.title}" is awaited`,
      lines: [
        `The draft memorandum "${v.title}" is awaiting the decision of ${v.organisationName ?? 'your organisation'}.`,
        `Please review it and approve or request changes. Reminder ${v.sequence} of ${v.maxCount}.`,
      ],
    }),
  },
  signature_reminder: {
    kk: (v) => ({
      subject: `Еске салу: «${v.title}» меморандумына қол қою күтілуде`,
      lines: [
        `«${v.title}» меморандумы ${v.organisationName ?? 'сіздің ұйымыңыздың'} қолын күтуде.`,
        `Еске салу ${v.sequence}/${v.maxCount}.`,
      ],
    }),
    ru: (v) => ({
      subject: `Напоминание: ожидается подпись меморандума «${v.title}»`,
      lines: [
        `Меморандум «${v.title}» ожидает подписи ${v.organisationName ?? 'вашей организации'}.`,
        `Напоминание ${v.sequence} из ${v.maxCount}.`,
      ],
    }),
    en: (v) => ({
      subject: `Reminder: the memorandum "${v.title}" awaits your signature`,
      lines: [
        `The memorandum "${v.title}" is awaiting the signature of ${v.organisationName ?? 'your organisation'}.`,
        `Reminder ${v.sequence} of ${v.maxCount}.`,
      ],
    }),
  },
  escalation: {
    kk: (v) => ({
      subject: `Эскалация: «${v.title}» меморандумы ${v.stage === 'signing' ? 'қол қоюда' : 'келісуде'} тоқтап тұр`,
      lines: [
        `${v.organisationName ?? 'Тарап'} ${reminders.kk(v.sequence ?? 0)} кейін де ${v.stage === 'signing' ? 'қол қоймады' : 'шешім қабылдамады'}.`,
      ],
    }),
    ru: (v) => ({
      subject: `Эскалация: меморандум «${v.title}» задерживается на этапе ${v.stage === 'signing' ? 'подписания' : 'согласования'}`,
      lines: [
        `${v.organisationName ?? 'Сторона'} не ${v.stage === 'signing' ? 'подписала меморандум' : 'приняла решение'} после ${reminders.ru(v.sequence ?? 0)}.`,
      ],
    }),
    en: (v) => ({
      subject: `Escalation: the memorandum "${v.title}" is stuck in ${v.stage === 'signing' ? 'signing' : 'review'}`,
      lines: [
        `${v.organisationName ?? 'A party'} has not ${v.stage === 'signing' ? 'signed' : 'decided'} after ${reminders.en(v.sequence ?? 0)}.`,
      ],
    }),
  },
  term_notice: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумының мерзімі ${days.kk(v.daysBefore ?? 0)} кейін аяқталады`,
      lines: [`«${v.title}» меморандумының қолданылу мерзімі ${v.endDate} аяқталады. Ұзарту қажет пе, шешіңіз.`],
    }),
    ru: (v) => ({
      subject: `Срок меморандума «${v.title}» истекает через ${days.ru(v.daysBefore ?? 0)}`,
      lines: [`Срок действия меморандума «${v.title}» истекает ${v.endDate}. Решите, нужно ли его продлить.`],
    }),
    en: (v) => ({
      subject: `The memorandum "${v.title}" ends in ${days.en(v.daysBefore ?? 0)}`,
      lines: [`The term of the memorandum "${v.title}" ends on ${v.endDate}. Decide whether to renew it.`],
    }),
  },
  commitment_due: {
    kk: (v) => ({
      subject: `Еске салу: «${v.commitmentTitle}» міндеттемесінің мерзіміне ${days.kk(v.daysBefore ?? 0)} кейін`,
      lines: [
        `«${v.title}» меморандумы бойынша «${v.commitmentTitle}» міндеттемесінің орындалу күні — ${v.date}.`,
        `Орындалған іс-шара туралы есепті дәлелдермен бірге тіркеңіз.`,
      ],
    }),
    ru: (v) => ({
      subject: `Напоминание: срок обязательства «${v.commitmentTitle}» через ${days.ru(v.daysBefore ?? 0)}`,
      lines: [
        `По меморандуму «${v.title}» обязательство «${v.commitmentTitle}» должно быть выполнено ${v.date}.`,
        `Пожалуйста, подайте отчёт о проделанной работе с подтверждающими файлами.`,
      ],
    }),
    en: (v) => ({
      subject: `Reminder: the commitment "${v.commitmentTitle}" is due in ${days.en(v.daysBefore ?? 0)}`,
      lines: [
        `Under the memorandum "${v.title}", the commitment "${v.commitmentTitle}" is due on ${v.date}.`,
        `Please file a report of what was done, with evidence.`,
      ],
    }),
  },
  commitment_overdue: {
    kk: (v) => ({
      subject: `Мерзімі өтті: «${v.commitmentTitle}» міндеттемесі`,
      lines: [
        `«${v.title}» меморандумы бойынша «${v.commitmentTitle}» міндеттемесінің мерзімі (${v.date}) ${days.kk(v.daysOverdue ?? 1)} бұрын өтті.`,
        `Еске салу ${v.sequence}/${v.maxCount}.`,
      ],
    }),
    ru: (v) => ({
      subject: `Просрочено: обязательство «${v.commitmentTitle}»`,
      lines: [
        `По меморандуму «${v.title}» срок обязательства «${v.commitmentTitle}» (${v.date}) истёк ${days.ru(v.daysOverdue ?? 1)} назад.`,
        `Напоминание ${v.sequence} из ${v.maxCount}.`,
      ],
    }),
    en: (v) => ({
      subject: `Overdue: the commitment "${v.commitmentTitle}"`,
      lines: [
        `Under the memorandum "${v.title}", the commitment "${v.commitmentTitle}" was due on ${v.date}, ${days.en(v.daysOverdue ?? 1)} ago.`,
        `Reminder ${v.sequence} of ${v.maxCount}.`,
      ],
    }),
  },
  commitment_escalation: {
    kk: (v) => ({
      subject: `Эскалация: «${v.commitmentTitle}» міндеттемесі орындалмады`,
      lines: [
        `«${v.title}» меморандумы бойынша «${v.commitmentTitle}» міндеттемесі (${v.date}) ${reminders.kk(v.sequence ?? 0)} кейін де орындалмады.`,
      ],
    }),
    ru: (v) => ({
      subject: `Эскалация: не выполнено обязательство «${v.commitmentTitle}»`,
      lines: [
        `По меморандуму «${v.title}» обязательство «${v.commitmentTitle}» (${v.date}) не выполнено после ${reminders.ru(v.sequence ?? 0)}.`,
      ],
    }),
    en: (v) => ({
      subject: `Escalation: the commitment "${v.commitmentTitle}" is not done`,
      lines: [
        `Under the memorandum "${v.title}", the commitment "${v.commitmentTitle}" (${v.date}) is not done after ${reminders.en(v.sequence ?? 0)}.`,
      ],
    }),
  },
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function languageOf(language: string | undefined): MessageLanguage {
  return language === 'kk' || language === 'en' ? language : 'ru';
}

export function renderMessage(topic: MessageTopic, language: string, vars: MessageVars): RenderedMessage {
  const lang = languageOf(language);
  const { subject, lines } = TEMPLATES[topic][lang](vars);
  const all = vars.link ? [...lines, vars.link] : lines;
  const text = `${all.join('\n\n')}\n`;
  return { subject, text, html: messageHtml(lang, text) };
}

/**
 * The HTML part of a message, from its text: a paragraph per blank-line-separated block. E-mail rows keep the text
 * only and the sender builds this when it sends (half the row, written once per recipient).
 */
export function messageHtml(language: string | undefined, text: string): string {
  const paragraphs = text.replace(/\n$/, '').split('\n\n');
  return `<!doctype html><html lang="${languageOf(language)}"><body>${paragraphs.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`;
}
