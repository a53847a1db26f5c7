/**
 * The Taraz memorandum of 28 September 2021 as a template shipped with Kelisim (inserted by the
 * migration 1795004000000-TextsTemplatesEvidence, owned by no organisation, visible to all): the Russian text
 * as published and its Kazakh text, equally authentic, with the place and the dates as
 * placeholders and the follow-up it promised as commitment blueprints.
 */
import { TARAZ_MEMORANDUM, TARAZ_MEMORANDUM_KK, tarazMemorandumText } from './taraz-memorandum';

/** The content of a template version, as libs/templates stores it (TemplateContent there). */
export interface SeedTemplateContent {
  name: string;
  language: string;
  texts: Record<string, { title: string; purpose: string; body: string }>;
  placeholders: Array<{
    name: string;
    kind: 'text' | 'party' | 'place' | 'date' | 'number';
    label?: string;
    default?: string;
  }>;
  defaults: { timeZone?: string; effectiveDate?: string; endDate?: string; equallyAuthentic?: boolean };
  commitmentBlueprints: Array<{ key: string; title: string; rrule?: string; dueAfterMonths?: number }>;
}

export const TARAZ_TEMPLATE_ID = '6b1f0c55-8d0e-4a43-9a57-2f3a1e0d2021';

export function tarazTemplateContent(): SeedTemplateContent {
  const ru = tarazMemorandumText('ru').replace('в городе Тараз,', 'в городе {{place}},');
  const kk = tarazMemorandumText('kk').replace('Тараз қаласында,', '{{place}} қаласында,');
  return {
    name: 'Көпжақты жастар меморандумы (Тараз, 2021) / Многосторонний молодежный меморандум',
    language: 'ru',
    texts: {
      ru: { title: TARAZ_MEMORANDUM.title, purpose: TARAZ_MEMORANDUM.purpose, body: ru },
      kk: { title: TARAZ_MEMORANDUM_KK.title, purpose: TARAZ_MEMORANDUM_KK.purpose, body: kk },
    },
    placeholders: [
      { name: 'place', kind: 'place', label: 'Қала / Город', default: 'Тараз' },
      { name: 'signingDate', kind: 'date', label: 'Қол қою күні / Дата подписания' },
      { name: 'endDate', kind: 'date', label: 'Аяқталу күні / Дата окончания' },
    ],
    defaults: {
      timeZone: TARAZ_MEMORANDUM.timeZone,
      effectiveDate: '{{signingDate}}',
      endDate: '{{endDate}}',
      equallyAuthentic: true,
    },
    commitmentBlueprints: [
      {
        key: 'joint_event',
        title: 'Совместные мероприятия по укреплению единства и согласия ({{place}})',
        rrule: 'FREQ=MONTHLY;INTERVAL=3',
      },
      { key: 'experience_exchange', title: 'Обмен накопленным опытом', rrule: 'FREQ=MONTHLY;INTERVAL=6' },
      { key: 'joint_research', title: 'Совместные исследования, анализы, научные работы', dueAfterMonths: 12 },
      { key: 'yearly_report', title: 'Годовой отчет сторон о совместной работе', rrule: 'FREQ=YEARLY' },
    ],
  };
}
