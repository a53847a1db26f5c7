/**
 * The Taraz memorandum of 28 September 2021 as a template shipped with Kelisim, owned by no
 * organisation and visible to all: the memorandum's Russian and Kazakh texts, equally authentic,
 * with the place and the signing date as placeholders and the follow-up it promises as commitment
 * blueprints. Version 1 (migration 1795004000000-TextsTemplatesEvidence) carried the 2021 news
 * report of the signing as its text; version 2 (migration 1795009000000-TarazTemplateText) carries
 * the memorandum itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// No imports from other libraries: the migration that ships this template loads it by a relative
// path (jest's globalSetup has no module mapper for the aliases).

/**
 * A text from fixtures/: `taraz-memorandum.<language>.txt` is the memorandum (the demo's too),
 * `taraz-youth-memorandum.<language>.txt` the news report of its signing.
 */
function fixture(name: 'taraz-memorandum' | 'taraz-youth-memorandum', language: 'ru' | 'kk'): string {
  const file = `${name}.${language}.txt`;
  let dir = __dirname;
  while (!existsSync(join(dir, 'fixtures', file))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`fixtures/${file} not found above ` + __dirname);
    dir = parent;
  }
  return readFileSync(join(dir, 'fixtures', file), 'utf8');
}

const RU = {
  title: 'Меморандум о многостороннем партнерстве между молодежью региона',
  purpose:
    'Развитие и укрепление сотрудничества молодежи, совместная реализация мероприятий, направленных на укрепление единства и согласия, общественного согласия в регионе, а также совместная реализация новых инициатив.',
};
const KK = {
  title: 'Өңір жастары арасындағы көпжақты серіктестік туралы меморандум',
  purpose:
    'Жастар ынтымақтастығын дамыту және нығайту, өңірдегі бірлік пен келісімді, қоғамдық келісімді нығайтуға бағытталған іс-шараларды бірлесіп өткізу, сондай-ақ жаңа бастамаларды бірлесіп іске асыру.',
};

/** The content of a template version, as stored (TemplateContent in template-rules.ts). */
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

/** The template's current content: the memorandum's texts, place and date as placeholders. */
export function tarazTemplateContent(): SeedTemplateContent {
  const ru = fixture('taraz-memorandum', 'ru').replace(
    /^г\. Тараз( +)28 сентября 2021 года$/m,
    'г. {{place}}$1{{signingDate}}',
  );
  const kk = fixture('taraz-memorandum', 'kk').replace(
    /^Тараз қ\.( +)2021 жылғы 28 қыркүйек$/m,
    '{{place}} қ.$1{{signingDate}}',
  );
  return withTexts(ru, kk);
}

/** Version 1's content, as migration 1795004000000 shipped it: the news report as the text. */
export function tarazTemplateContentV1(): SeedTemplateContent {
  const ru = fixture('taraz-youth-memorandum', 'ru').replace('в городе Тараз,', 'в городе {{place}},');
  const kk = fixture('taraz-youth-memorandum', 'kk').replace('Тараз қаласында,', '{{place}} қаласында,');
  return withTexts(ru, kk);
}

function withTexts(ru: string, kk: string): SeedTemplateContent {
  return {
    name: 'Көпжақты жастар меморандумы (Тараз, 2021) / Многосторонний молодежный меморандум',
    language: 'ru',
    texts: {
      ru: { ...RU, body: ru },
      kk: { ...KK, body: kk },
    },
    placeholders: [
      { name: 'place', kind: 'place', label: 'Қала / Город', default: 'Тараз' },
      { name: 'signingDate', kind: 'date', label: 'Қол қою күні / Дата подписания' },
      { name: 'endDate', kind: 'date', label: 'Аяқталу күні / Дата окончания' },
    ],
    defaults: {
      timeZone: 'Asia/Almaty',
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
