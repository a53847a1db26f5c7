/**
 * The evidence PDF's words in the language of the memorandum's original text (kk, ru or en): the
 * page line, field names, and labels for the codes the evidence holds (states, decisions, signing
 * methods, roles, history actions, commitment statuses) — the same words as the web pages. A code
 * without a label is printed as it is. Times are local to the memorandum's time zone, named.
 */
import { rrulestr } from 'rrule';
import { calendarDate, recurrenceWords, WordsLanguage } from './recurrence-words';

export type { WordsLanguage } from './recurrence-words';

interface Words {
  page: (n: number, total: number) => string;
  memorandum: string;
  status: string;
  amendment: string;
  revision: string;
  kinds: Record<string, string>;
  notFrozen: string;
  made: string;
  historyHead: string;
  requiredSignatures: string;
  signed: string;
  recorded: string;
  place: string;
  evidence: string;
  lead: string;
  dueWord: string;
  labels: Record<string, Record<string, string>>;
}

const WORDS: Record<WordsLanguage, Words> = {
  kk: {
    page: (n, total) => `бет ${n} / ${total}`,
    memorandum: 'Меморандум',
    status: 'мәртебесі',
    amendment: 'өзгеріс',
    revision: 'Редакция',
    kinds: { original: 'бастапқы', amendment: 'өзгеріс' },
    notFrozen: '— (әлі бекітілмеген)',
    made: 'Жасалған уақыты',
    historyHead: 'тарих ұшы',
    requiredSignatures: 'қажетті қолтаңбалар',
    signed: 'қол қойылды',
    recorded: 'тіркелді',
    place: 'орны',
    evidence: 'дәлелдеме',
    lead: 'жауапты',
    dueWord: 'мерзімі',
    labels: {
      status: {
        draft: 'Жоба',
        in_review: 'Келісуде',
        approved: 'Келісілді',
        signing: 'Қол қойылуда',
        executed: 'Қол қойылды',
        active: 'Күшінде',
        expired: 'Мерзімі өтті',
        terminated: 'Бұзылды',
        withdrawn: 'Кері қайтарылды',
      },
      partyRole: { signatory: 'Қол қоюшы', observer: 'Бақылаушы', witness: 'Куәгер' },
      role: {
        coordinator: 'Үйлестіруші',
        party_representative: 'Тарап өкілі',
        signatory: 'Қол қоюшы',
        supervisor: 'Қадағалаушы',
        admin: 'Әкімші',
      },
      decision: {
        approve: 'Мақұлданды',
        request_changes: 'Өзгерту сұралды',
        decline: 'Бас тартылды',
        comment: 'Түсініктеме',
      },
      method: { electronic: 'Электрондық', in_person: 'Рәсімде', digital: 'ЭЦҚ' },
      commitment: {
        planned: 'Жоспарланған',
        in_progress: 'Орындалуда',
        completed: 'Орындалды',
        cancelled: 'Күшін жойды',
        overdue: 'Мерзімі өтті',
      },
      action: {
        create: 'Құрылды',
        edit: 'Өңделді',
        add_party: 'Тарап қосылды',
        remove_party: 'Тарап алынды',
        submit: 'Келісуге жіберілді',
        approve: 'Мақұлданды',
        request_changes: 'Өзгерту сұралды',
        decline: 'Бас тартылды',
        comment: 'Түсініктеме',
        open_signing: 'Қол қою ашылды',
        sign: 'Қол қойылды',
        activate: 'Күшіне енді',
        expire: 'Мерзімі өтті',
        terminate: 'Бұзылды',
        terminate_on_date: 'Белгіленген күні бұзылды',
        schedule_termination: 'Бұзу тағайындалды',
        renew: 'Ұзартылды',
        amend: 'Өзгеріс басталды',
        withdraw: 'Кері қайтарылды',
        withdraw_amendment: 'Өзгеріс кері қайтарылды',
        'commitment.added': 'Міндеттеме қосылды',
        'commitment.planned': 'Іс-шаралар жоспарына қосылды',
        'commitment.updated': 'Міндеттеме өзгертілді',
        'commitment.started': 'Міндеттеме басталды',
        'commitment.completed': 'Міндеттеме орындалды',
        'commitment.cancelled': 'Міндеттеменің күші жойылды',
        'commitment.overdue': 'Міндеттеменің мерзімі өтті',
        'report.filed': 'Қызмет есебі тапсырылды',
        'report.corrected': 'Қызмет есебі түзетілді',
      },
    },
  },
  ru: {
    page: (n, total) => `стр. ${n} / ${total}`,
    memorandum: 'Меморандум',
    status: 'статус',
    amendment: 'изменение',
    revision: 'Редакция',
    kinds: { original: 'первоначальная', amendment: 'изменение' },
    notFrozen: '— (ещё не зафиксирована)',
    made: 'Сформирован',
    historyHead: 'вершина истории',
    requiredSignatures: 'требуется подписей',
    signed: 'подписано',
    recorded: 'записано',
    place: 'место',
    evidence: 'доказательство',
    lead: 'ответственный',
    dueWord: 'срок',
    labels: {
      status: {
        draft: 'Черновик',
        in_review: 'На согласовании',
        approved: 'Согласован',
        signing: 'Подписание',
        executed: 'Подписан',
        active: 'Действует',
        expired: 'Истёк',
        terminated: 'Расторгнут',
        withdrawn: 'Отозван',
      },
      partyRole: { signatory: 'Подписант', observer: 'Наблюдатель', witness: 'Свидетель' },
      role: {
        coordinator: 'Координатор',
        party_representative: 'Представитель стороны',
        signatory: 'Подписант',
        supervisor: 'Надзор',
        admin: 'Администратор',
      },
      decision: {
        approve: 'Одобрено',
        request_changes: 'Запрошены изменения',
        decline: 'Отклонено',
        comment: 'Комментарий',
      },
      method: { electronic: 'Электронно', in_person: 'На церемонии', digital: 'ЭЦП' },
      commitment: {
        planned: 'Запланировано',
        in_progress: 'Выполняется',
        completed: 'Выполнено',
        cancelled: 'Отменено',
        overdue: 'Просрочено',
      },
      action: {
        create: 'Создан',
        edit: 'Изменён',
        add_party: 'Добавлена сторона',
        remove_party: 'Убрана сторона',
        submit: 'Отправлен на согласование',
        approve: 'Одобрено',
        request_changes: 'Запрошены изменения',
        decline: 'Отклонено',
        comment: 'Комментарий',
        open_signing: 'Открыто подписание',
        sign: 'Подписано',
        activate: 'Вступил в силу',
        expire: 'Истёк срок',
        terminate: 'Расторгнут',
        terminate_on_date: 'Расторгнут в назначенную дату',
        schedule_termination: 'Назначено расторжение',
        renew: 'Продлён',
        amend: 'Начато изменение',
        withdraw: 'Отозван',
        withdraw_amendment: 'Изменение отозвано',
        'commitment.added': 'Добавлено обязательство',
        'commitment.planned': 'Добавлено в план мероприятий',
        'commitment.updated': 'Обязательство изменено',
        'commitment.started': 'Обязательство начато',
        'commitment.completed': 'Обязательство выполнено',
        'commitment.cancelled': 'Обязательство отменено',
        'commitment.overdue': 'Обязательство просрочено',
        'report.filed': 'Подан отчёт о деятельности',
        'report.corrected': 'Отчёт о деятельности исправлен',
      },
    },
  },
  en: {
    page: (n, total) => `page ${n} / ${total}`,
    memorandum: 'Memorandum',
    status: 'status',
    amendment: 'amendment',
    revision: 'Revision',
    kinds: { original: 'original', amendment: 'amendment' },
    notFrozen: '— (not frozen yet)',
    made: 'Made',
    historyHead: 'history head',
    requiredSignatures: 'required signatures',
    signed: 'signed',
    recorded: 'recorded',
    place: 'place',
    evidence: 'evidence',
    lead: 'lead',
    dueWord: 'due',
    labels: {
      status: {
        draft: 'Draft',
        in_review: 'In review',
        approved: 'Approved',
        signing: 'Signing',
        executed: 'Executed',
        active: 'Active',
        expired: 'Expired',
        terminated: 'Terminated',
        withdrawn: 'Withdrawn',
      },
      partyRole: { signatory: 'Signatory', observer: 'Observer', witness: 'Witness' },
      role: {
        coordinator: 'Coordinator',
        party_representative: 'Party representative',
        signatory: 'Signatory',
        supervisor: 'Supervisor',
        admin: 'Admin',
      },
      decision: {
        approve: 'Approved',
        request_changes: 'Changes requested',
        decline: 'Declined',
        comment: 'Commented',
      },
      method: { electronic: 'Electronic', in_person: 'At the ceremony', digital: 'Digital (EDS)' },
      commitment: {
        planned: 'Planned',
        in_progress: 'In progress',
        completed: 'Completed',
        cancelled: 'Cancelled',
        overdue: 'Overdue',
      },
      action: {
        create: 'Created',
        edit: 'Edited',
        add_party: 'Party added',
        remove_party: 'Party removed',
        submit: 'Submitted for review',
        approve: 'Approved',
        request_changes: 'Changes requested',
        decline: 'Declined',
        comment: 'Commented',
        open_signing: 'Signing opened',
        sign: 'Signed',
        activate: 'Became active',
        expire: 'Expired',
        terminate: 'Terminated',
        terminate_on_date: 'Terminated on the set date',
        schedule_termination: 'Termination scheduled',
        renew: 'Renewed',
        amend: 'Amendment started',
        withdraw: 'Withdrawn',
        withdraw_amendment: 'Amendment withdrawn',
        'commitment.added': 'Commitment added',
        'commitment.planned': 'Added to the activity plan',
        'commitment.updated': 'Commitment changed',
        'commitment.started': 'Commitment started',
        'commitment.completed': 'Commitment completed',
        'commitment.cancelled': 'Commitment cancelled',
        'commitment.overdue': 'Commitment overdue',
        'report.filed': 'Activity report filed',
        'report.corrected': 'Activity report corrected',
      },
    },
  },
};

export type LabelGroup = 'status' | 'partyRole' | 'role' | 'decision' | 'method' | 'commitment' | 'action';

/** The document's language: its original text's when it is one of the three, else Russian. */
export const documentLanguage = (language: string): WordsLanguage =>
  language === 'kk' || language === 'en' || language === 'ru' ? language : 'ru';

/** The words of the evidence PDF in `language`, with the memorandum's time zone for times. */
export function evidenceWords(language: WordsLanguage, timeZone: string) {
  const w = WORDS[language];
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
  return {
    ...w,
    zone,
    label: (group: LabelGroup, code: string) => w.labels[group][code] ?? code,
    /** An instant (ISO) as local time: `28.09.2021 11:00:00 (Asia/Almaty, UTC+06:00)`. */
    time: (iso: string): string => {
      const at = new Date(iso);
      if (Number.isNaN(at.getTime())) return iso;
      const p = Object.fromEntries(clock.formatToParts(at).map((x) => [x.type, x.value]));
      const offset = p.timeZoneName === 'GMT' ? 'UTC+00:00' : String(p.timeZoneName).replace('GMT', 'UTC');
      return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}:${p.second} (${zone}, ${offset})`;
    },
    date: (date: string) => calendarDate(date, language),
    /** A commitment's due date, or its recurrence in words (the rule itself when it has no words). */
    due: (due: string | null): string => {
      if (!due) return '—';
      if (!/^RRULE:/i.test(due)) return calendarDate(due, language);
      const words = recurrenceWords(due, language);
      if (words || language !== 'en') return words ?? due;
      try {
        const rule = rrulestr(due);
        return rule.isFullyConvertibleToText() ? rule.toText() : due;
      } catch {
        return due;
      }
    },
  };
}

export type EvidenceWords = ReturnType<typeof evidenceWords>;
