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

export function useOrganisationName() {
  const orgs = useOrganisations();
  return (id: string | null | undefined) =>
    (id && orgs.data?.items.find((o) => o.id === id)?.shortName) || (id ? `${id.slice(0, 8)}…` : '—');
}
