import { fill, placeholdersIn, resolveValues, undeclaredPlaceholders } from './placeholders';

describe('template placeholders', () => {
  const declared = [
    { name: 'place', kind: 'place' as const },
    { name: 'signingDate', kind: 'date' as const },
    { name: 'count', kind: 'number' as const, required: false },
    { name: 'city', kind: 'text' as const, default: 'Тараз' },
  ];

  it('finds every name used, once, in order', () => {
    expect(placeholdersIn(['{{place}} және {{ signingDate }}', null, '{{place}}{{x_1}}'])).toEqual([
      'place',
      'signingDate',
      'x_1',
    ]);
  });

  it('names the placeholders a text uses without declaring them', () => {
    expect(undeclaredPlaceholders(['{{place}} {{mayor}} {{ bad name }}'], declared)).toEqual(['mayor']);
  });

  it('refuses unknown and missing values by name, and a date that is not a date', () => {
    const r = resolveValues(declared, { place: 'Тараз', mayor: 'X', signingDate: '2021-02-30' });
    expect(r.problems).toEqual([
      { field: 'values.mayor', message: 'is not a placeholder of this template' },
      { field: 'values.signingDate', message: 'must be a date YYYY-MM-DD (1900–2200)' },
    ]);
    expect(resolveValues(declared, {}).problems.map((p) => p.field)).toEqual(['values.place', 'values.signingDate']);
  });

  it('fills values, defaults and optional blanks', () => {
    const r = resolveValues(declared, { place: 'Тараз қ.', signingDate: '2021-09-28' });
    expect(r.problems).toEqual([]);
    expect(r.values).toEqual({ place: 'Тараз қ.', signingDate: '2021-09-28', count: '', city: 'Тараз' });
    expect(fill('{{signingDate}} {{city}}-да, {{place}}; {{other}}', r.values)).toBe(
      '2021-09-28 Тараз-да, Тараз қ.; {{other}}',
    );
  });
});
