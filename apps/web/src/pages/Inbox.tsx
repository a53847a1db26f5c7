import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { api, unwrap } from '../api/client';
import { MEMORANDUM_TABS, MemorandumTab } from '../route-search';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading, Pager } from '../components/ui';
import { useFormat, useT } from '../i18n';

export function InboxPage() {
  const t = useT();
  const f = useFormat();
  const qc = useQueryClient();
  const { page } = useSearch({ from: '/signed-in/inbox' });
  const navigate = useNavigate({ from: '/inbox' });
  const inbox = useQuery({
    queryKey: ['inbox', page],
    queryFn: () => unwrap(api.GET('/me/notifications', { params: { query: { page, pageSize: 20 } } })),
  });
  const read = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/me/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['inbox'] }),
  });
  const readAll = useMutation({
    mutationFn: () => unwrap(api.POST('/me/notifications/read-all')),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['inbox'] }),
  });
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      {inbox.data && <p>{t('inbox.unread', { count: inbox.data.unreadCount })}</p>}
      {!!inbox.data?.unreadCount && (
        <button type="button" onClick={() => readAll.mutate()} disabled={readAll.isPending}>
          {t('inbox.markAllRead')}
        </button>
      )}
      {inbox.isPending && <Loading />}
      <ErrorNotice error={inbox.error ?? read.error ?? readAll.error} />
      {inbox.data?.items.length === 0 && <p className="muted">{t('inbox.empty')}</p>}
      <ul className="list">
        {inbox.data?.items.map((n) => (
          <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
            <h2 className="h3">{n.title}</h2>
            <p>{n.body}</p>
            <p className="muted small">
              {f.dateTime(n.createdAt)}
              {n.memorandumId && (
                <>
                  {' · '}
                  <Link to="/memoranda/$id" params={{ id: n.memorandumId }} search={{ tab: tabOf(n.data) }}>
                    {t('inbox.open')}
                  </Link>
                </>
              )}
            </p>
            {!n.readAt && (
              <button type="button" onClick={() => read.mutate(n.id)}>
                {t('inbox.markRead')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {inbox.data && (
        <Pager
          page={page}
          pageSize={inbox.data.pageSize}
          total={inbox.data.total}
          onPage={(p) => navigate({ search: { page: p } })}
        />
      )}
    </>
  );
}

/** The tab a notice's link points at (where its reader acts), else the overview. */
function tabOf(data: Record<string, unknown>): MemorandumTab {
  const link = typeof data.link === 'string' ? data.link : '';
  const tab = /[?&]tab=([a-z]+)/.exec(link)?.[1];
  return MEMORANDUM_TABS.find((x) => x === tab) ?? 'overview';
}
