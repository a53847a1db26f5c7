import { createHash } from 'node:crypto';
import { canonicalBytes, canonicalSerialisation, renderTerms, revisionHash, RevisionTerms } from './canonical';

const terms: RevisionTerms = {
  title: 'Меморандум — Қоғамдық келісім',
  purpose: 'Бірлік пен келісім',
  body: 'Мәтін ә ғ қ ң ө ұ ү һ і; мұрағат й ё',
  language: 'kk',
  timeZone: 'Asia/Almaty',
  effectiveDate: '2021-09-28',
  endDate: '2024-09-28',
  parties: [
    { organisationId: 'bbbbbbbb-0000-4000-8000-000000000002', role: 'signatory', order: 2, requiredSignatures: 1 },
    { organisationId: 'aaaaaaaa-0000-4000-8000-000000000001', role: 'signatory', order: 1, requiredSignatures: 1 },
  ],
};

describe('revision hash', () => {
  it('is a SHA-256 in hex over sorted keys', () => {
    expect(revisionHash(terms)).toMatch(/^[0-9a-f]{64}$/);
    const s = canonicalSerialisation(terms);
    expect(s.indexOf('"body"')).toBeLessThan(s.indexOf('"title"'));
    expect(s.indexOf('aaaaaaaa')).toBeLessThan(s.indexOf('bbbbbbbb'));
  });

  it('does not depend on key order, party list order or Unicode composition', () => {
    const decomposed = { ...terms, body: terms.body.normalize('NFD'), parties: [...terms.parties].reverse() };
    expect(terms.body.normalize('NFD')).not.toBe(terms.body);
    const reordered = JSON.parse(
      JSON.stringify({
        parties: decomposed.parties,
        endDate: terms.endDate,
        body: decomposed.body,
        title: terms.title,
        purpose: terms.purpose,
        language: 'kk',
        timeZone: 'Asia/Almaty',
        effectiveDate: '2021-09-28',
      }),
    );
    expect(revisionHash(reordered)).toBe(revisionHash(terms));
  });

  it("changes with any hashed field, including a party's required signatures", () => {
    const h = revisionHash(terms);
    expect(revisionHash({ ...terms, body: terms.body + '.' })).not.toBe(h);
    expect(revisionHash({ ...terms, endDate: '2024-09-29' })).not.toBe(h);
    expect(
      revisionHash({ ...terms, parties: [{ ...terms.parties[0], requiredSignatures: 2 }, terms.parties[1]] }),
    ).not.toBe(h);
    expect(revisionHash({ ...terms, parties: [{ ...terms.parties[0], order: 3 }, terms.parties[1]] })).not.toBe(h);
  });

  it('renders the terms as text with parties in order', () => {
    const text = renderTerms(terms, { 'aaaaaaaa-0000-4000-8000-000000000001': 'Жас Отан' });
    expect(text).toContain('  1. Жас Отан — signatory, required signatures: 1');
    expect(text).toContain('End date: 2024-09-28');
  });
});

describe('revision hash with texts in other languages', () => {
  const base = {
    title: 'Меморандум',
    purpose: 'Сотрудничество',
    body: 'Текст.',
    language: 'ru',
    timeZone: 'Asia/Almaty',
    effectiveDate: '2021-09-28',
    endDate: null,
    parties: [
      { organisationId: 'aaaaaaaa-0000-4000-8000-000000000001', role: 'signatory', order: 1, requiredSignatures: 1 },
    ],
  };
  const kk = { title: 'Меморандум', purpose: 'Ынтымақтастық', body: 'Мәтін.' };

  it('is unchanged for a revision without translations (null, absent or empty): existing hashes stay valid', () => {
    const h = revisionHash(base);
    expect(revisionHash({ ...base, translations: null })).toBe(h);
    expect(revisionHash({ ...base, translations: { equallyAuthentic: true, texts: {} } })).toBe(h);
    expect(canonicalSerialisation(base)).not.toContain('translations');
  });

  it('covers every language version and whether they are equally authentic', () => {
    const withKk = revisionHash({ ...base, translations: { equallyAuthentic: false, texts: { kk } } });
    expect(withKk).not.toBe(revisionHash(base));
    expect(revisionHash({ ...base, translations: { equallyAuthentic: true, texts: { kk } } })).not.toBe(withKk);
    expect(
      revisionHash({ ...base, translations: { equallyAuthentic: false, texts: { kk: { ...kk, body: 'Мәтін!' } } } }),
    ).not.toBe(withKk);
    const decomposed = { ...kk, body: 'Мәтін.'.normalize('NFD') };
    expect(revisionHash({ ...base, translations: { equallyAuthentic: false, texts: { kk: decomposed } } })).toBe(
      withKk,
    );
  });
});

describe('commitments in the revision hash', () => {
  const terms = {
    title: 'T',
    purpose: 'P',
    body: 'B',
    language: 'ru',
    timeZone: 'Asia/Almaty',
    effectiveDate: '2021-09-28',
    endDate: '2024-09-28',
    parties: [
      { organisationId: 'A0000000-0000-4000-8000-000000000001', role: 'signatory', order: 1, requiredSignatures: 1 },
    ],
  };
  const commitment = {
    title: 'Совместные мероприятия',
    description: null,
    clauseRef: 'п. 2.1',
    leadOrganisationId: 'a0000000-0000-4000-8000-000000000001',
    organisationIds: [],
    target: { quantity: 4, unit: 'в год' },
    dueDate: null,
    rrule: 'FREQ=MONTHLY;INTERVAL=3',
  };

  it('leaves a revision without commitments hashed exactly as before (no key at all)', () => {
    expect(revisionHash({ ...terms, commitments: [] })).toBe(revisionHash(terms));
    expect(canonicalSerialisation(terms)).not.toContain('commitments');
  });

  it('changes the hash with the commitments, whatever their order or id case', () => {
    const other = { ...commitment, title: 'Обмен опытом', clauseRef: 'п. 2.2', rrule: null, dueDate: '2022-03-28' };
    const h = revisionHash({ ...terms, commitments: [commitment, other] });
    expect(h).not.toBe(revisionHash(terms));
    expect(
      revisionHash({
        ...terms,
        commitments: [other, { ...commitment, leadOrganisationId: commitment.leadOrganisationId.toUpperCase() }],
      }),
    ).toBe(h);
    expect(revisionHash({ ...terms, commitments: [commitment, { ...other, dueDate: '2022-03-29' }] })).not.toBe(h);
  });

  it('hashes a commitment’s key when it has one (amendments carry it), and a keyless one as before keys existed', () => {
    const keyed = { ...commitment, key: 'C0000000-0000-4000-8000-00000000000A' };
    const plain = revisionHash({ ...terms, commitments: [commitment] });
    expect(canonicalSerialisation({ ...terms, commitments: [commitment] })).not.toContain('"key"');
    const h = revisionHash({ ...terms, commitments: [keyed] });
    expect(h).not.toBe(plain);
    expect(revisionHash({ ...terms, commitments: [{ ...keyed, key: keyed.key.toLowerCase() }] })).toBe(h);
    expect(
      revisionHash({ ...terms, commitments: [{ ...keyed, key: 'c0000000-0000-4000-8000-00000000000b' }] }),
    ).not.toBe(h);
  });

  it('keeps form 1 as it was: organisation names and BINs given to a revision without a form are not hashed', () => {
    const named = {
      ...terms,
      parties: terms.parties.map((p) => ({ ...p, name: 'Ұйым', shortName: 'Ұ', bin: '000740000728' })),
    };
    expect(revisionHash(named)).toBe(revisionHash(terms));
    expect(revisionHash({ ...named, canonicalVersion: 1 })).toBe(revisionHash(terms));
    expect(canonicalSerialisation(terms)).not.toContain('canonicalVersion');
  });

  it('form 2 names each party in words and with its BIN, and says so', () => {
    const named = (name: string, bin: string | null) => ({
      ...terms,
      canonicalVersion: 2,
      parties: terms.parties.map((p) => ({ ...p, name, shortName: name.slice(0, 3), bin })),
    });
    const h = revisionHash(named('«Қоғамдық келісім» КММ', '000740000728'));
    expect(h).not.toBe(revisionHash(terms));
    expect(revisionHash(named('Другое название', '000740000728'))).not.toBe(h);
    expect(revisionHash(named('«Қоғамдық келісім» КММ', null))).not.toBe(h);
    const bytes = canonicalBytes(named('«Қоғамдық келісім» КММ', '000740000728'));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(h);
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({
      canonicalVersion: 2,
      parties: [{ name: '«Қоғамдық келісім» КММ', shortName: '«Қо', bin: '000740000728' }],
    });
  });

  it('refuses a form it does not know rather than hashing it as another', () => {
    expect(() => revisionHash({ ...terms, canonicalVersion: 3 })).toThrow(/Unknown canonical form 3/);
  });
});
