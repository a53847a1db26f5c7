import { partiesInTurn } from './turns';

describe('turns in ordered review and sequential signing', () => {
  const opened = new Date('2021-09-20T04:00:00Z');
  const at = (h: number) => new Date(opened.getTime() + h * 3600_000);

  it('gives the turn to the first party only while nobody has finished', () => {
    expect(
      partiesInTurn(
        [
          { organisationId: 'a', order: 1, doneAt: null },
          { organisationId: 'b', order: 2, doneAt: null },
          { organisationId: 'c', order: 3, doneAt: null },
        ],
        opened,
      ),
    ).toEqual([{ organisationId: 'a', since: opened }]);
  });

  it('passes the turn when a party finishes, counted from that moment', () => {
    expect(
      partiesInTurn(
        [
          { organisationId: 'a', order: 1, doneAt: at(50) },
          { organisationId: 'b', order: 2, doneAt: null },
          { organisationId: 'c', order: 3, doneAt: null },
        ],
        opened,
      ),
    ).toEqual([{ organisationId: 'b', since: at(50) }]);
    expect(
      partiesInTurn(
        [
          { organisationId: 'a', order: 1, doneAt: at(50) },
          { organisationId: 'b', order: 2, doneAt: at(70) },
          { organisationId: 'c', order: 3, doneAt: null },
        ],
        opened,
      ),
    ).toEqual([{ organisationId: 'c', since: at(70) }]);
  });

  it('lets parties of the same order go together, and the next one wait for both', () => {
    const parties = [
      { organisationId: 'a', order: 1, doneAt: at(5) },
      { organisationId: 'b', order: 1, doneAt: null },
      { organisationId: 'c', order: 2, doneAt: null },
    ];
    expect(partiesInTurn(parties, opened)).toEqual([{ organisationId: 'b', since: opened }]);
    parties[1].doneAt = at(3);
    expect(partiesInTurn(parties, opened)).toEqual([{ organisationId: 'c', since: at(5) }]);
  });

  it('gives nobody the turn when all have finished', () => {
    expect(
      partiesInTurn(
        [
          { organisationId: 'a', order: 1, doneAt: at(1) },
          { organisationId: 'b', order: 2, doneAt: at(2) },
        ],
        opened,
      ),
    ).toEqual([]);
  });
});
