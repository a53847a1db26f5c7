/** Queries several pages share. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client';

export function useOrganisations() {
  return useQuery({
    queryKey: ['organisations', 'all'],
    queryFn: () => unwrap(api.GET('/organisations', { params: { query: { pageSize: 100 } } })),
    staleTime: 60_000,
  });
}

/** An organisation's short name; "…" while the organisations load (never a piece of its id then). */
export function useOrganisationName() {
  const orgs = useOrganisations();
  return (id: string | null | undefined) => {
    if (!id) return '—';
    if (orgs.isPending) return '…';
    return orgs.data?.items.find((o) => o.id === id)?.shortName ?? `${id.slice(0, 8)}…`;
  };
}
