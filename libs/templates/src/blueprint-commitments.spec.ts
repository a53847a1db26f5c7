import { addMonths, blueprintCommitments } from './blueprint-commitments';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';
const blueprints = [
  { key: 'event', title: 'Joint event', rrule: 'FREQ=MONTHLY;INTERVAL=3' },
  { key: 'research', title: 'Research', dueAfterMonths: 12 },
];

describe('addMonths', () => {
  it('adds months across years and clamps the day to the month', () => {
    expect(addMonths('2021-09-28', 12)).toBe('2022-09-28');
    expect(addMonths('2021-08-31', 6)).toBe('2022-02-28');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonths('2021-01-15', 120)).toBe('2031-01-15');
  });
});

describe('blueprintCommitments', () => {
  const ctx = { partyIds: [A, B], coordinatingOrganisationId: A, effectiveDate: '2021-09-28' };

  it('defaults the lead to the coordinating organisation and dates a due-after blueprint from the effective date', () => {
    const { commitments, problems } = blueprintCommitments(
      blueprints,
      [{ key: 'research', leadOrganisationId: B }],
      ctx,
    );
    expect(problems).toEqual([]);
    expect(commitments).toEqual([
      { key: 'event', title: 'Joint event', leadOrganisationId: A, rrule: 'FREQ=MONTHLY;INTERVAL=3' },
      { key: 'research', title: 'Research', leadOrganisationId: B, dueDate: '2022-09-28' },
    ]);
  });

  it('names a lead that is not a party, an unknown blueprint key, and a blueprint with no possible lead', () => {
    const leads = [
      { key: 'event', leadOrganisationId: C },
      { key: 'nope', leadOrganisationId: A },
    ];
    const r = blueprintCommitments(blueprints, leads, { ...ctx, partyIds: [B] });
    expect(r.problems.map((p) => p.field)).toEqual([
      'blueprintLeads[1].key',
      'blueprintLeads.event',
      'blueprintLeads.research',
    ]);
    expect(r.problems[1].message).toContain(`${C} (lead of "Joint event") is not a party`);
  });

  it('needs an effective date for a blueprint due some months after it', () => {
    const r = blueprintCommitments(blueprints, [], { ...ctx, effectiveDate: null });
    expect(r.problems).toEqual([
      { field: 'commitmentBlueprints.research', message: expect.stringContaining('give the memorandum one') },
    ]);
  });
});
