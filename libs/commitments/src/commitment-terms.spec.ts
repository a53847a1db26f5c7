import { changedTerms, Terms } from './commitment-terms';

describe('the terms of a commitment', () => {
  const terms: Terms = {
    title: 'Совместные мероприятия',
    description: null,
    clauseRef: 'п. 2.1',
    leadOrganisationId: 'a0000000-0000-4000-8000-000000000001',
    organisationIds: ['b0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003'],
    targetQuantity: 4,
    targetUnit: 'в год',
    dueDate: null,
    rrule: 'FREQ=MONTHLY;INTERVAL=3',
  };

  it('names the fields that changed; the other parties compare as a set (a revision keeps them sorted)', () => {
    expect(changedTerms(terms, { ...terms, organisationIds: [...terms.organisationIds].sort() })).toEqual([]);
    expect(changedTerms(terms, { ...terms, organisationIds: [terms.organisationIds[0]] })).toEqual(['organisationIds']);
    expect(changedTerms(terms, { ...terms, rrule: null, dueDate: '2022-09-28' })).toEqual(['dueDate', 'rrule']);
    expect(changedTerms(terms, { ...terms, targetQuantity: 2 })).toEqual(['targetQuantity']);
  });
});
