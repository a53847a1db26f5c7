import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export function useMemorandum(id: string) {
  return useQuery({
    queryKey: ['memoranda', id],
    queryFn: () => unwrap(api.GET('/memoranda/{id}', { params: { path: { id } } })),
  });
}

/** A state-changing call on the memorandum; afterwards everything shown about it is reloaded. */
export function useMemorandumAction<V, R>(id: string, call: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: () => qc.invalidateQueries({ queryKey: ['memoranda'] }),
  });
}

export function useHistory(id: string, refetch = false) {
  return useQuery({
    queryKey: ['memoranda', id, 'history'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/history', { params: { path: { id } } })),
    refetchInterval: refetch ? 5_000 : false,
  });
}

/** SHA-256 of a file, in hex (the evidence of a ceremony: the photo or scan stays with the coordinator). */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
