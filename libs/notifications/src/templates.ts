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
  | 'commitment_escalation'
  | NoticeTopic;

/**
 * Notices sent at once when a step needs someone (docs/notifications.md, "Telling people at once"); the topics
 * above are reminders, sent later when nothing happened. A user may turn e-mail off for notices, never in-app.
 */
export const NOTICE_TOPICS = [
  'review_requested',
  'review_for_information',
  'changes_requested',
  'party_declined',
  'memorandum_approved',
  'signature_requested',
  'party_signed',
  'memorandum_executed',
  'memorandum_amended',
  'memorandum_activated',
  'memorandum_renewed',
  'memorandum_terminated',
  'memorandum_expired',
  'report_filed',
  'overdue_notice',
] as const;
export type NoticeTopic = (typeof NOTICE_TOPICS)[number];

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
  /** Notices: the revision in review or signed. */
  revisionNumber?: number;
  /** Notices: the date a termination took effect. */
  terminationDate?: string;
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
  review_requested: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумы бойынша сіздің шешіміңіз қажет`,
      lines: [
        `«${v.title}» меморандумының жобасы (${v.revisionNumber}-редакция) келісуге жіберілді.`,
        `${v.organisationName ?? 'Сіздің ұйымыңыз'} жобаны қарап, келісуі немесе өзгерістер сұрауы керек.`,
      ],
    }),
    ru: (v) => ({
      subject: `Требуется ваше решение по меморандуму «${v.title}»`,
      lines: [
        `Проект меморандума «${v.title}» (редакция ${v.revisionNumber}) направлен на согласование.`,
        `${v.organisationName ?? 'Ваша организация'}: рассмотрите проект и одобрите его или запросите изменения.`,
      ],
    }),
    en: (v) => ({
      subject: `Your decision is needed on the memorandum "${v.title}"`,
      lines: [
        `The draft memorandum "${v.title}" (revision ${v.revisionNumber}) was submitted for review.`,
        `${v.organisationName ?? 'Your organisation'}: please review it and approve it or request changes.`,
      ],
    }),
  },
  review_for_information: {
    kk: (v) => ({
      subject: `Ақпарат үшін: «${v.title}» меморандумы келісуге жіберілді`,
      lines: [
        `«${v.title}» меморандумының жобасы (${v.revisionNumber}-редакция) келісуге жіберілді. ${v.organisationName ?? 'Сіздің ұйымыңыз'} — куә немесе бақылаушы, шешім қажет емес.`,
      ],
    }),
    ru: (v) => ({
      subject: `Для сведения: меморандум «${v.title}» направлен на согласование`,
      lines: [
        `Проект меморандума «${v.title}» (редакция ${v.revisionNumber}) направлен на согласование. ${v.organisationName ?? 'Ваша организация'} — свидетель или наблюдатель, решение не требуется.`,
      ],
    }),
    en: (v) => ({
      subject: `For information: the memorandum "${v.title}" was submitted for review`,
      lines: [
        `The draft memorandum "${v.title}" (revision ${v.revisionNumber}) was submitted for review. ${v.organisationName ?? 'Your organisation'} is a witness or observer: no decision is needed.`,
      ],
    }),
  },
  changes_requested: {
    kk: (v) => ({
      subject: `«${v.title}»: ${v.organisationName ?? 'тарап'} өзгерістер сұрады`,
      lines: [
        `${v.organisationName ?? 'Тарап'} «${v.title}» меморандумының ${v.revisionNumber}-редакциясына өзгерістер сұрады. Жоба қайтадан жобаға оралды: түзетіп, қайта жіберіңіз.`,
      ],
    }),
    ru: (v) => ({
      subject: `«${v.title}»: ${v.organisationName ?? 'сторона'} запросила изменения`,
      lines: [
        `${v.organisationName ?? 'Сторона'} запросила изменения в редакции ${v.revisionNumber} меморандума «${v.title}». Проект возвращён в работу: доработайте его и направьте снова.`,
      ],
    }),
    en: (v) => ({
      subject: `"${v.title}": ${v.organisationName ?? 'a party'} requested changes`,
      lines: [
        `${v.organisationName ?? 'A party'} requested changes to revision ${v.revisionNumber} of the memorandum "${v.title}". It is back in draft: revise it and submit it again.`,
      ],
    }),
  },
  party_declined: {
    kk: (v) => ({
      subject: `«${v.title}»: ${v.organisationName ?? 'тарап'} бас тартты`,
      lines: [
        `${v.organisationName ?? 'Тарап'} «${v.title}» меморандумының ${v.revisionNumber}-редакциясынан бас тартты. Жоба жобаға оралды: тараптармен келісіп, әрі қарай не істейтініңізді шешіңіз.`,
      ],
    }),
    ru: (v) => ({
      subject: `«${v.title}»: ${v.organisationName ?? 'сторона'} отклонила проект`,
      lines: [
        `${v.organisationName ?? 'Сторона'} отклонила редакцию ${v.revisionNumber} меморандума «${v.title}». Проект возвращён в работу: решите со сторонами, как быть дальше.`,
      ],
    }),
    en: (v) => ({
      subject: `"${v.title}": ${v.organisationName ?? 'a party'} declined`,
      lines: [
        `${v.organisationName ?? 'A party'} declined revision ${v.revisionNumber} of the memorandum "${v.title}". It is back in draft: decide with the parties what comes next.`,
      ],
    }),
  },
  memorandum_approved: {
    kk: (v) => ({
      subject: `«${v.title}» барлық тараптармен келісілді — қол қоюды ашыңыз`,
      lines: [`«${v.title}» меморандумының ${v.revisionNumber}-редакциясын барлық тараптар келісті. Қол қоюды ашыңыз.`],
    }),
    ru: (v) => ({
      subject: `«${v.title}» одобрен всеми сторонами — откройте подписание`,
      lines: [`Все стороны одобрили редакцию ${v.revisionNumber} меморандума «${v.title}». Откройте подписание.`],
    }),
    en: (v) => ({
      subject: `"${v.title}" is approved by every party — open signing`,
      lines: [`Every party approved revision ${v.revisionNumber} of the memorandum "${v.title}". Open signing.`],
    }),
  },
  signature_requested: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумына қол қойыңыз`,
      lines: [
        `«${v.title}» меморандумы (${v.revisionNumber}-редакция) қол қоюға ашық. ${v.organisationName ?? 'Сіздің ұйымыңыздың'} қолы күтілуде.`,
      ],
    }),
    ru: (v) => ({
      subject: `Подпишите меморандум «${v.title}»`,
      lines: [
        `Меморандум «${v.title}» (редакция ${v.revisionNumber}) открыт для подписания. Ожидается подпись: ${v.organisationName ?? 'ваша организация'}.`,
      ],
    }),
    en: (v) => ({
      subject: `Please sign the memorandum "${v.title}"`,
      lines: [
        `The memorandum "${v.title}" (revision ${v.revisionNumber}) is open for signing. The signature of ${v.organisationName ?? 'your organisation'} is awaited.`,
      ],
    }),
  },
  party_signed: {
    kk: (v) => ({
      subject: `«${v.title}»: ${v.organisationName ?? 'тарап'} қол қойды`,
      lines: [
        `${v.organisationName ?? 'Тарап'} «${v.title}» меморандумының ${v.revisionNumber}-редакциясына қол қойды. Қалған тараптардың қолы күтілуде.`,
      ],
    }),
    ru: (v) => ({
      subject: `«${v.title}»: ${v.organisationName ?? 'сторона'} подписала меморандум`,
      lines: [
        `${v.organisationName ?? 'Сторона'} подписала редакцию ${v.revisionNumber} меморандума «${v.title}». Ожидаются подписи остальных сторон.`,
      ],
    }),
    en: (v) => ({
      subject: `"${v.title}": ${v.organisationName ?? 'a party'} signed`,
      lines: [
        `${v.organisationName ?? 'A party'} signed revision ${v.revisionNumber} of the memorandum "${v.title}". The other parties' signatures are awaited.`,
      ],
    }),
  },
  memorandum_executed: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумына барлық тараптар қол қойды`,
      lines: [`«${v.title}» меморандумына барлық тараптар қол қойды. Ол күшіне енген күннен бастап қолданылады.`],
    }),
    ru: (v) => ({
      subject: `Меморандум «${v.title}» подписан всеми сторонами`,
      lines: [`Меморандум «${v.title}» подписан всеми сторонами и вступит в силу в дату вступления.`],
    }),
    en: (v) => ({
      subject: `The memorandum "${v.title}" is signed by every party`,
      lines: [`The memorandum "${v.title}" is signed by every party and takes effect on its effective date.`],
    }),
  },
  memorandum_amended: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумына өзгерістер күшіне енді`,
      lines: [`«${v.title}» меморандумына өзгерістерге (${v.revisionNumber}-редакция) барлық тараптар қол қойды.`],
    }),
    ru: (v) => ({
      subject: `Изменения к меморандуму «${v.title}» вступили в силу`,
      lines: [`Изменения к меморандуму «${v.title}» (редакция ${v.revisionNumber}) подписаны всеми сторонами.`],
    }),
    en: (v) => ({
      subject: `The amendment to the memorandum "${v.title}" is in force`,
      lines: [`The amendment to the memorandum "${v.title}" (revision ${v.revisionNumber}) is signed by every party.`],
    }),
  },
  memorandum_activated: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумы күшіне енді`,
      lines: [
        `«${v.title}» меморандумы күшіне енді${v.endDate ? `, ${v.endDate} дейін қолданылады` : ''}. Міндеттемелер бойынша жұмыс басталды.`,
      ],
    }),
    ru: (v) => ({
      subject: `Меморандум «${v.title}» вступил в силу`,
      lines: [
        `Меморандум «${v.title}» вступил в силу${v.endDate ? ` и действует до ${v.endDate}` : ''}. Начинается работа по обязательствам.`,
      ],
    }),
    en: (v) => ({
      subject: `The memorandum "${v.title}" is in force`,
      lines: [
        `The memorandum "${v.title}" is in force${v.endDate ? ` until ${v.endDate}` : ''}. Work on its commitments begins.`,
      ],
    }),
  },
  memorandum_renewed: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумы ұзартылды`,
      lines: [`«${v.title}» меморандумының мерзімі ${v.endDate} дейін ұзартылды.`],
    }),
    ru: (v) => ({
      subject: `Меморандум «${v.title}» продлён`,
      lines: [`Срок действия меморандума «${v.title}» продлён до ${v.endDate}.`],
    }),
    en: (v) => ({
      subject: `The memorandum "${v.title}" is renewed`,
      lines: [`The term of the memorandum "${v.title}" is extended to ${v.endDate}.`],
    }),
  },
  memorandum_terminated: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумы тоқтатылды`,
      lines: [
        `«${v.title}» меморандумының қолданысы${v.terminationDate ? ` ${v.terminationDate} бастап` : ''} тоқтатылды.`,
      ],
    }),
    ru: (v) => ({
      subject: `Меморандум «${v.title}» расторгнут`,
      lines: [`Действие меморандума «${v.title}» прекращено${v.terminationDate ? ` с ${v.terminationDate}` : ''}.`],
    }),
    en: (v) => ({
      subject: `The memorandum "${v.title}" is terminated`,
      lines: [`The memorandum "${v.title}" is terminated${v.terminationDate ? ` as of ${v.terminationDate}` : ''}.`],
    }),
  },
  memorandum_expired: {
    kk: (v) => ({
      subject: `«${v.title}» меморандумының мерзімі аяқталды`,
      lines: [`«${v.title}» меморандумының қолданылу мерзімі аяқталды.`],
    }),
    ru: (v) => ({
      subject: `Срок меморандума «${v.title}» истёк`,
      lines: [`Срок действия меморандума «${v.title}» истёк.`],
    }),
    en: (v) => ({
      subject: `The memorandum "${v.title}" has expired`,
      lines: [`The term of the memorandum "${v.title}" has ended.`],
    }),
  },
  report_filed: {
    kk: (v) => ({
      subject: `Есеп: «${v.commitmentTitle}» (${v.organisationName ?? 'тарап'})`,
      lines: [
        `${v.organisationName ?? 'Тарап'} «${v.title}» меморандумы бойынша «${v.commitmentTitle}» міндеттемесі туралы есеп тіркеді${v.date ? ` (${v.date})` : ''}.`,
      ],
    }),
    ru: (v) => ({
      subject: `Отчёт: «${v.commitmentTitle}» (${v.organisationName ?? 'сторона'})`,
      lines: [
        `${v.organisationName ?? 'Сторона'} подала отчёт по обязательству «${v.commitmentTitle}» меморандума «${v.title}»${v.date ? ` (${v.date})` : ''}.`,
      ],
    }),
    en: (v) => ({
      subject: `Report: "${v.commitmentTitle}" (${v.organisationName ?? 'a party'})`,
      lines: [
        `${v.organisationName ?? 'A party'} filed a report on the commitment "${v.commitmentTitle}" of the memorandum "${v.title}"${v.date ? ` (${v.date})` : ''}.`,
      ],
    }),
  },
  overdue_notice: {
    kk: (v) => ({
      subject: `Мерзімі өтті: «${v.commitmentTitle}» (${v.organisationName ?? 'жетекші тарап'})`,
      lines: [
        `«${v.title}» меморандумы бойынша ${v.organisationName ?? 'жетекші тарап'} жауапты «${v.commitmentTitle}» міндеттемесінің мерзімі (${v.date}) өтті.`,
      ],
    }),
    ru: (v) => ({
      subject: `Просрочено: «${v.commitmentTitle}» (${v.organisationName ?? 'ведущая сторона'})`,
      lines: [
        `По меморандуму «${v.title}» истёк срок (${v.date}) обязательства «${v.commitmentTitle}»; ответственная сторона: ${v.organisationName ?? 'ведущая сторона'}.`,
      ],
    }),
    en: (v) => ({
      subject: `Overdue: "${v.commitmentTitle}" (${v.organisationName ?? 'the lead party'})`,
      lines: [
        `Under the memorandum "${v.title}", the commitment "${v.commitmentTitle}" led by ${v.organisationName ?? 'the lead party'} was due on ${v.date} and is overdue.`,
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

/** One notice listed in a daily digest. */
export interface DigestItem {
  title: string;
  link: string | null;
}

/**
 * The daily digest (docs/notifications.md, "Preferences"): the notices not read yet, each with its link, and where
 * to change the choice. `settingsLink` is the notification settings page.
 */
export function renderDigest(language: string, items: DigestItem[], settingsLink: string): RenderedMessage {
  const lang = languageOf(language);
  const n = items.length;
  const words = {
    kk: {
      subject: `Kelisim: оқылмаған ${plural('kk', n, { other: 'хабарлама' })}`,
      intro: 'Соңғы дайджесттен бері келген, әлі оқылмаған хабарламалар:',
      settings: `Хабарлама баптауларын өзгерту: ${settingsLink}`,
    },
    ru: {
      subject: `Kelisim: ${plural('ru', n, { one: 'непрочитанное уведомление', few: 'непрочитанных уведомления', many: 'непрочитанных уведомлений', other: 'непрочитанного уведомления' })}`,
      intro: 'Уведомления с прошлой сводки, которые вы ещё не прочитали:',
      settings: `Изменить настройки уведомлений: ${settingsLink}`,
    },
    en: {
      subject: `Kelisim: ${plural('en', n, { one: 'unread notice', other: 'unread notices' })}`,
      intro: 'Notices since your last digest that you have not read yet:',
      settings: `Change your notification settings: ${settingsLink}`,
    },
  }[lang];
  const lines = [
    words.intro,
    ...items.map((i) => (i.link ? `• ${i.title}\n${i.link}` : `• ${i.title}`)),
    words.settings,
  ];
  const text = `${lines.join('\n\n')}\n`;
  return { subject: words.subject, text, html: messageHtml(lang, text) };
}
