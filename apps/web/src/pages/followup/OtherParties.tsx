/** The other responsible parties of a commitment: one checkbox per party of the memorandum but the lead. */
import type { Dispatch, SetStateAction } from 'react';
import { type Memorandum } from '../../api/client';
import { useOrganisationName } from '../../data';

export function OtherPartiesChecks({
  parties,
  lead,
  others,
  setOthers,
}: {
  parties: NonNullable<Memorandum['parties']>;
  lead: string;
  others: string[];
  setOthers: Dispatch<SetStateAction<string[]>>;
}) {
  const orgName = useOrganisationName();
  return parties
    .filter((p) => p.organisationId !== lead)
    .map((p) => (
      <label key={p.organisationId} className="check">
        <input
          type="checkbox"
          checked={others.includes(p.organisationId)}
          onChange={(e) =>
            setOthers((o) => (e.target.checked ? [...o, p.organisationId] : o.filter((x) => x !== p.organisationId)))
          }
        />{' '}
        {orgName(p.organisationId)}
      </label>
    ));
}
