/**
 * The memorandum Kelisim was born from: signed in Taraz on 28 September 2021, as a news report told
 * it (fixtures/taraz-youth-memorandum.ru.txt); its text (fixtures/taraz-memorandum.<language>.txt)
 * is written from that report's facts. Organisations and people are those of the report; where the text names no
 * person (the "Zhangyru zholy" HQ, the assembly, the supervising office) the name is invented and
 * marked so. E-mail addresses are fictional (example.kz). Used by `kelisim demo` and, as their fixture, by the e2e tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface SeedOrganisation {
  key: string;
  name: string;
  shortName: string;
  kind:
    | 'public_institution'
    | 'government_office'
    | 'youth_organisation'
    | 'university'
    | 'ngo'
    | 'media'
    | 'company'
    | 'other';
  language: 'kk' | 'ru' | 'en';
  /** Role in the memorandum; `supervisor` organisations are not parties. */
  partyRole: 'coordinator' | 'signatory' | 'observer' | 'witness' | 'supervisor';
  people: SeedPerson[];
}

export interface SeedPerson {
  fullName: string;
  email: string;
  roles: Array<'coordinator' | 'party_representative' | 'signatory' | 'supervisor' | 'admin'>;
  language: 'kk' | 'ru' | 'en';
  invented?: true;
}

export const TARAZ_ORGANISATIONS: SeedOrganisation[] = [
  {
    key: 'kelisim',
    partyRole: 'coordinator',
    kind: 'public_institution',
    language: 'kk',
    name: 'КГУ «Қоғамдық келісім» управления внутренней политики акимата Жамбылской области',
    shortName: 'Қоғамдық келісім',
    people: [
      {
        fullName: 'Парида Иманжановна Мамедова',
        email: 'p.mamedova@kelisim.example.kz',
        roles: ['coordinator', 'party_representative', 'signatory'],
        language: 'ru',
      },
    ],
  },
  {
    key: 'youth-office',
    partyRole: 'signatory',
    kind: 'government_office',
    language: 'kk',
    name: 'Управление по вопросам молодежной политики акимата Жамбылской области',
    shortName: 'Жастар саясаты басқармасы',
    people: [
      {
        fullName: 'Серікбол Берікқожа',
        email: 's.berikkozha@jastar.example.kz',
        roles: ['party_representative', 'signatory'],
        language: 'kk',
      },
    ],
  },
  {
    key: 'zhangyru',
    partyRole: 'signatory',
    kind: 'youth_organisation',
    language: 'kk',
    name: 'Областной штаб республиканского молодежного движения «Жаңғыру жолы» АНК Жамбылской области',
    shortName: 'Жаңғыру жолы',
    people: [
      {
        fullName: 'Дәурен Сейітқалиұлы',
        email: 'd.seitkaliuly@zhangyru.example.kz',
        roles: ['party_representative', 'signatory'],
        language: 'kk',
        invented: true,
      },
    ],
  },
  {
    key: 'jas-otan',
    partyRole: 'signatory',
    kind: 'youth_organisation',
    language: 'ru',
    name: 'МК «Jas Otan» при Жамбылском областном филиале партии «Nur Otan»',
    shortName: 'Jas Otan',
    people: [
      {
        fullName: 'Болатбек Уәли',
        email: 'b.uali@jasotan.example.kz',
        roles: ['party_representative', 'signatory'],
        language: 'ru',
      },
    ],
  },
  {
    key: 'zhas-ulan',
    partyRole: 'signatory',
    kind: 'youth_organisation',
    language: 'kk',
    name: 'ОО «Республиканская детско-юношеская организация «Жас Ұлан» Жамбылской области',
    shortName: 'Жас Ұлан',
    people: [
      {
        fullName: 'Айжан Алебаева',
        email: 'a.alebaeva@zhasulan.example.kz',
        roles: ['party_representative', 'signatory'],
        language: 'kk',
      },
    ],
  },
  {
    key: 'dulaty',
    partyRole: 'witness',
    kind: 'university',
    language: 'ru',
    name: 'Таразский региональный университет имени М.Х. Дулати',
    shortName: 'ТарРУ им. Дулати',
    people: [
      {
        fullName: 'Ержан Амирбекұлы',
        email: 'e.amirbekuly@dulaty.example.kz',
        roles: ['party_representative'],
        language: 'ru',
      },
    ],
  },
  {
    key: 'assembly',
    partyRole: 'observer',
    kind: 'ngo',
    language: 'kk',
    name: 'Ассамблея народа Казахстана Жамбылской области',
    shortName: 'ҚХА Жамбыл',
    people: [
      {
        fullName: 'Гүлнар Тұрсынбекова',
        email: 'g.tursynbekova@assembly.example.kz',
        roles: ['party_representative'],
        language: 'kk',
        invented: true,
      },
    ],
  },
  {
    key: 'internal-policy',
    partyRole: 'supervisor',
    kind: 'government_office',
    language: 'ru',
    name: 'Управление внутренней политики акимата Жамбылской области',
    shortName: 'Ішкі саясат басқармасы',
    people: [
      {
        fullName: 'Нұрлан Әбдірахманов',
        email: 'n.abdirakhmanov@ishki.example.kz',
        roles: ['supervisor'],
        language: 'kk',
        invented: true,
      },
    ],
  },
];

export const TARAZ_MEMORANDUM = {
  title: 'Меморандум о многостороннем партнерстве между молодежью региона',
  purpose:
    'Развитие и укрепление сотрудничества молодежи, совместная реализация мероприятий, направленных на укрепление единства и согласия, общественного согласия в регионе, а также совместная реализация новых инициатив.',
  language: 'ru' as const,
  timeZone: 'Asia/Almaty',
  effectiveDate: '2021-09-28',
  endDate: '2024-09-28',
  ceremony: { date: '2021-09-28T11:00:00+06:00', place: 'г. Тараз, КГУ «Қоғамдық келісім»' },
  commitments: [
    { title: 'Совместные мероприятия по укреплению единства и согласия', rrule: 'FREQ=MONTHLY;INTERVAL=3' },
    { title: 'Обмен накопленным опытом', rrule: 'FREQ=MONTHLY;INTERVAL=6' },
    { title: 'Совместные исследования, анализы, научные работы', dueDate: '2022-09-28' },
  ],
};

/** Title and purpose of the Kazakh text (fixtures/taraz-memorandum.kk.txt), equally authentic. */
export const TARAZ_MEMORANDUM_KK = {
  title: 'Өңір жастары арасындағы көпжақты серіктестік туралы меморандум',
  purpose:
    'Жастар ынтымақтастығын дамыту және нығайту, өңірдегі бірлік пен келісімді, қоғамдық келісімді нығайтуға бағытталған іс-шараларды бірлесіп өткізу, сондай-ақ жаңа бастамаларды бірлесіп іске асыру.',
};

/** The full text of the seed memorandum in Russian (ru) or Kazakh (kk), equally authentic. */
export function tarazMemorandumText(language: 'ru' | 'kk' = 'ru'): string {
  const file = `taraz-memorandum.${language}.txt`;
  let dir = __dirname;
  while (!existsSync(join(dir, 'fixtures', file))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`fixtures/${file} not found above ` + __dirname);
    dir = parent;
  }
  return readFileSync(join(dir, 'fixtures', file), 'utf8');
}
