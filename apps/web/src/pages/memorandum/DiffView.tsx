/** A unified diff (from the API) shown side by side: the earlier revision left, the later right. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Hash, Loading } from '../../components/ui';
import { useT } from '../../i18n';

type Row = { left?: string; right?: string; kind: 'same' | 'changed' | 'removed' | 'added' | 'gap' };

export function sideBySide(patch: string): Row[] {
  const rows: Row[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const n = Math.max(removed.length, added.length);
    for (let i = 0; i < n; i++) {
      const left = removed[i];
      const right = added[i];
      rows.push({
        left,
        right,
        kind: left !== undefined && right !== undefined ? 'changed' : left ? 'removed' : 'added',
      });
    }
    removed = [];
    added = [];
  };
  for (const line of patch.split('\n')) {
    if (line.startsWith('---') || line.startsWith('+++') || line.startsWith('Index') || line.startsWith('==='))
      continue;
    if (line.startsWith('@@')) {
      flush();
      rows.push({ kind: 'gap', left: line });
    } else if (line.startsWith('-')) removed.push(line.slice(1));
    else if (line.startsWith('+')) added.push(line.slice(1));
    else if (line.startsWith(' ')) {
      flush();
      rows.push({ kind: 'same', left: line.slice(1), right: line.slice(1) });
    }
  }
  flush();
  return rows;
}

export function DiffView({ id, from, to }: { id: string; from: number; to: number }) {
  const t = useT();
  const diff = useQuery({
    queryKey: ['memoranda', id, 'diff', from, to],
    queryFn: () =>
      unwrap(api.GET('/memoranda/{id}/revisions/{a}/diff/{b}', { params: { path: { id, a: from, b: to } } })),
  });
  if (diff.isPending) return <Loading />;
  if (diff.error) return <ErrorNotice error={diff.error} />;
  const d = diff.data;
  return (
    <section className="diff" aria-label={t('diff.label', { from, to })}>
      <p>
        {t('diff.summary', { from, to, added: d.added, removed: d.removed })} <Hash value={d.from.hash} /> →{' '}
        <Hash value={d.to.hash} />
      </p>
      {d.identical && <p className="notice">{t('diff.identical')}</p>}
      {!d.lineByLine && <p className="notice">{t('diff.tooLarge')}</p>}
      {d.patch && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
          <table className="diff-table">
            <thead>
              <tr>
                <th scope="col">{t('diff.revision', { number: from })}</th>
                <th scope="col">{t('diff.revision', { number: to })}</th>
              </tr>
            </thead>
            <tbody>
              {sideBySide(d.patch).map((r, i) =>
                r.kind === 'gap' ? (
                  <tr key={i} className="gap">
                    <td colSpan={2}>⋯</td>
                  </tr>
                ) : (
                  <tr key={i} className={r.kind}>
                    <td className={r.left !== undefined && r.kind !== 'same' ? 'del' : ''}>
                      {r.left !== undefined && r.kind !== 'same' && <span className="visually-hidden">−</span>}
                      {r.left ?? ''}
                    </td>
                    <td className={r.right !== undefined && r.kind !== 'same' ? 'ins' : ''}>
                      {r.right !== undefined && r.kind !== 'same' && <span className="visually-hidden">+</span>}
                      {r.right ?? ''}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
