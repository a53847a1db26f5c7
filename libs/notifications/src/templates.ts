/**
 * Message templates in the recipient's language (kk, ru, en): subject, plain text and HTML.
 * Pure; every value interpolated into HTML is escaped.
 */
export type MessageLanguage = 'kk' | 'ru' | 'en';
export type MessageTopic = 'approval_reminder' | 'signature_reminder' | 'escalation' | 'term_notice';

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
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

type Lines = (v: MessageVars) => { subject: string; lines: string[] };

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
        `${v.organisationName ?? 'Тарап'} ${v.sequence ?? 0} еске салудан кейін де ${v.stage === 'signing' ? 'қол қоймады' : 'шешім қабылдамады'}.`,
      ],
    }),
    ru: (v) => ({
      subject: `Эскалация: меморандум «${v.title}» задерживается на этапе ${v.stage === 'signing' ? 'подписания' : 'согласования'}`,
      lines: [
        `${v.organisationName ?? 'Сторона'} не ${v.stage === 'signing' ? 'подписала меморандум' : 'приняла решение'} после ${v.sequence ?? 0} напоминаний.`,
      ],
    }),
    en: (v) => ({
      subject: `Escalation: the memorandum "${v.title}" is stuck in ${v.stage === 'signing' ? 'signing' : 'review'}`,
      lines: [
        `${v.organisationName ?? 'A party'} has not ${v.stage === 'signing' ? 'signed' : 'decided'} after ${v.sequence ?? 0} reminders.`,
      ],
    }),
  },
  term_notice: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумының мерзімі ${v.daysBefore} күннен кейін аяқталады`,
      lines: [`«${v.title}» меморандумының қолданылу мерзімі ${v.endDate} аяқталады. Ұзарту қажет пе, шешіңіз.`],
    }),
    ru: (v) => ({
      subject: `Срок меморандума «${v.title}» истекает через ${v.daysBefore} дн.`,
      lines: [`Срок действия меморандума «${v.title}» истекает ${v.endDate}. Решите, нужно ли его продлить.`],
    }),
    en: (v) => ({
      subject: `The memorandum "${v.title}" ends in ${v.daysBefore} days`,
      lines: [`The term of the memorandum "${v.title}" ends on ${v.endDate}. Decide whether to renew it.`],
    }),
  },
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderMessage(topic: MessageTopic, language: string, vars: MessageVars): RenderedMessage {
  const lang: MessageLanguage = language === 'kk' || language === 'en' ? language : 'ru';
  const { subject, lines } = TEMPLATES[topic][lang](vars);
  const all = vars.link ? [...lines, vars.link] : lines;
  const html = `<!doctype html><html lang="${lang}"><body>${all.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`;
  return { subject, text: `${all.join('\n\n')}\n`, html };
}
