/** A unified diff (from the API) shown side by side: the earlier revision left, the later right. */
import { useQuery } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Hash, Loading } from '../../components/ui';
import { type Language, LANGUAGE_NAMES, useT } from '../../i18n';
import { sideBySide } from './diff-rows';
import './languages.css';

type Section = Schemas['RevisionDiffSection'];

function DiffTable({ patch, from, to, caption }: { patch: string; from: number; to: number; caption: string }) {
  const t = useT();
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="diff-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('diff.revision', { number: from })}</th>
            <th scope="col">{t('diff.revision', { number: to })}</th>
          </tr>
        </thead>
        <tbody>
          {sideBySide(patch).map((r, i) =>
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
  );
}

/** The diff's sections grouped: the terms, then each language with its changed title, purpose and body. */
function Sections({ sections, from, to }: { sections: Section[]; from: number; to: number }) {
  const t = useT();
  const fieldName = (s: Section) =>
    s.section === 'terms' ? t('languages.terms') : t(`draft.${s.section as 'title' | 'purpose' | 'body'}`);
  const groups: Array<{ language: string | null; parts: Section[] }> = [];
  for (const s of sections) {
    const g = groups.find((x) => x.language === s.language);
    if (g) g.parts.push(s);
    else groups.push({ language: s.language, parts: [s] });
  }
  return (
    <>
      {groups.map((g) => {
        const heading = g.language ? (LANGUAGE_NAMES[g.language as Language] ?? g.language) : t('languages.terms');
        const changed = g.parts.filter((p) => p.changed);
        return (
          <div key={g.language ?? 'terms'} className="diff-section" data-language={g.language ?? 'terms'}>
            <h4 lang={g.language ?? undefined}>
              {heading}
              {!changed.length && <span className="muted"> — {t('languages.unchanged')}</span>}
            </h4>
            {changed.map((p) =>
              p.patch ? (
                <DiffTable
                  key={p.section}
                  patch={p.patch}
                  from={from}
                  to={to}
                  caption={g.language ? `${heading}: ${fieldName(p)}` : fieldName(p)}
                />
              ) : (
                <p key={p.section} className="notice">
                  {fieldName(p)}: {t('diff.tooLarge')}
                </p>
              ),
            )}
          </div>
        );
      })}
    </>
  );
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
  // The counts of the labelled sections: the rendered text's labels and markers are no lines of the memorandum.
  const added = d.sections.reduce((n, s) => n + s.added, 0);
  const removed = d.sections.reduce((n, s) => n + s.removed, 0);
  return (
    <section className="diff" aria-label={t('diff.label', { from, to })}>
      <p>
        {t('diff.summary', { from, to, added, removed })} <Hash value={d.from.hash} /> → <Hash value={d.to.hash} />
      </p>
      {d.identical && <p className="notice">{t('diff.identical')}</p>}
      {!d.identical && <Sections sections={d.sections} from={from} to={to} />}
    </section>
  );
}
