/**
 * Every language version of a text — the original and each translation — in the reader's language
 * first: one at a time with a switcher, or all side by side (columns on a wide screen, stacked on a
 * phone) as bilingual documents are laid out. Each is marked original, equally authentic, or
 * possibly out of date.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Hash, Loading } from '../../components/ui';
import { type Language, LANGUAGE_NAMES, LANGUAGES, useLocale, useT } from '../../i18n';
import './languages.css';

type Text = { title: string; purpose: string; body: string };
export type TextSource = {
  title: string;
  purpose?: string | null;
  body?: string | null;
  language: string;
  translations?: Schemas['RevisionTranslations'] | null;
};
export type Version = Text & { language: Language; original: boolean };

const isLanguage = (l: string): l is Language => (LANGUAGES as readonly string[]).includes(l);

/** The versions of the text, the reader's language first, then the original, then the others. */
export function versionsOf(source: TextSource, reader: string): Version[] {
  const all: Version[] = [];
  if (isLanguage(source.language))
    all.push({
      language: source.language,
      original: true,
      title: source.title,
      purpose: source.purpose ?? '',
      body: source.body ?? '',
    });
  for (const l of LANGUAGES) {
    const x = source.translations?.texts?.[l];
    if (x && l !== source.language) all.push({ language: l, original: false, ...x });
  }
  const rank = (v: Version) => (v.language === reader ? 0 : v.original ? 1 : 2);
  return all.sort((a, b) => rank(a) - rank(b));
}

/** The names of some languages, in the interface's words ("Қазақша, English"). */
export const languageList = (languages: readonly string[]) =>
  languages.map((l) => (isLanguage(l) ? LANGUAGE_NAMES[l] : l)).join(', ');

export function LanguageMarks({
  version,
  equallyAuthentic,
  stale,
}: {
  version: Pick<Version, 'original'>;
  equallyAuthentic: boolean;
  stale: boolean;
}) {
  const t = useT();
  return (
    <>
      {equallyAuthentic ? (
        <span className="badge lang-authentic">{t('languages.equallyAuthentic')}</span>
      ) : version.original ? (
        <span className="badge">{t('languages.original')}</span>
      ) : (
        <span className="badge">{t('languages.translation')}</span>
      )}{' '}
      {stale && <span className="badge lang-stale">{t('languages.stale')}</span>}
    </>
  );
}

export function LanguageVersions({
  source,
  stale = [],
  mode: initialMode,
  headingLevel = 3,
}: {
  source: TextSource;
  stale?: readonly string[];
  /** one: the reader's language, the others one click away; all: every version side by side. */
  mode: 'one' | 'all';
  headingLevel?: 3 | 4;
}) {
  const t = useT();
  const { language: reader } = useLocale();
  const versions = versionsOf(source, reader);
  const [mode, setMode] = useState(versions.length > 1 ? initialMode : 'one');
  const [chosen, setChosen] = useState<Language | undefined>(undefined);
  const groupId = useId();
  const current = versions.find((v) => v.language === chosen) ?? versions[0];
  const equallyAuthentic = !!source.translations?.equallyAuthentic;
  const H = `h${headingLevel}` as 'h3';
  const shown = mode === 'all' ? versions : current ? [current] : [];
  return (
    <div className="lang-versions">
      {versions.length > 1 && (
        <div className="lang-switch" role="group" aria-labelledby={`${groupId}-label`}>
          <span id={`${groupId}-label`} className="muted">
            {t('languages.show')}
          </span>
          {versions.map((v) => (
            <button
              key={v.language}
              type="button"
              lang={v.language}
              aria-pressed={mode === 'one' && current?.language === v.language}
              onClick={() => {
                setChosen(v.language);
                setMode('one');
              }}
            >
              {LANGUAGE_NAMES[v.language]}
              {stale.includes(v.language) && ' ⚠'}
            </button>
          ))}
          <button type="button" aria-pressed={mode === 'all'} onClick={() => setMode('all')}>
            {t('languages.sideBySide')}
          </button>
        </div>
      )}
      <div className={mode === 'all' ? 'lang-columns' : undefined}>
        {shown.map((v) => (
          <article key={v.language} className="lang-version" lang={v.language} data-language={v.language}>
            <H>
              {LANGUAGE_NAMES[v.language]}{' '}
              <span lang={reader}>
                <LanguageMarks version={v} equallyAuthentic={equallyAuthentic} stale={stale.includes(v.language)} />
              </span>
            </H>
            {stale.includes(v.language) && (
              <p className="notice lang-stale-notice" lang={reader}>
                {t('languages.staleExplained')}
              </p>
            )}
            <p className="lang-title">
              <strong>{v.title}</strong>
            </p>
            {v.purpose && <p className="lang-purpose">{v.purpose}</p>}
            <pre className="body-text">{v.body}</pre>
          </article>
        ))}
      </div>
    </div>
  );
}

/**
 * The frozen revision a party decides on, in the reader's language with the others one click away,
 * and the hash that names it: what is approved is what is read.
 */
export function RevisionText({
  id,
  number,
  stale,
  purpose = 'approve',
}: {
  id: string;
  number: number;
  stale?: readonly string[];
  /** What the reader does with the text: decide on it (approve panel) or sign it. */
  purpose?: 'approve' | 'sign';
}) {
  const t = useT();
  const revision = useQuery({
    queryKey: ['memoranda', id, 'revisions', number],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/revisions/{number}', { params: { path: { id, number } } })),
    enabled: number > 0,
    staleTime: Infinity,
  });
  if (revision.isPending) return number > 0 ? <Loading /> : null;
  if (revision.error) return <ErrorNotice error={revision.error} />;
  const r = revision.data;
  return (
    <section className="revision-text" aria-labelledby={`revision-text-${number}`}>
      <h3 id={`revision-text-${number}`}>
        {t(purpose === 'sign' ? 'languages.signing' : 'languages.approving')} <Hash value={r.hash} />
      </h3>
      <div className="revision-text-scroll" tabIndex={0} role="region" aria-labelledby={`revision-text-${number}`}>
        <LanguageVersions source={r} stale={stale} mode="one" headingLevel={4} />
      </div>
    </section>
  );
}
