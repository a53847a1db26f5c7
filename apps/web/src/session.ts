/** The signed-in user (GET /me through the session cookie), sign-in and sign-out. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Me, unwrap } from './api/client';
import { retryQuery } from './retry';

export const ME_KEY = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: () => unwrap(api.GET('/me')),
    retry: retryQuery,
    staleTime: 60_000,
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/auth/session')),
    onSettled: () => {
      qc.clear();
      window.location.assign('/app/sign-in');
    },
  });
}

export const hasRole = (me: Me | undefined, ...roles: Me['roles']) => !!me && roles.some((r) => me.roles.includes(r));
