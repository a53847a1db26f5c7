/**
 * Templates (coordinators and admins): the ones the organisation may use, and an editor to create
 * one or to save a new version of one — name, original language, title, purpose and body in each
 * language with {{placeholders}}, the placeholders' list (name, kind, label, required, default),
 * shared with every organisation. A new version keeps the defaults and commitment blueprints of the
 * previous one (the API replaces only the fields sent). The server checks the rest — a placeholder
 * used but not declared, a missing original text — and names the field.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field, Loading } from '../components/ui';
import { LANGUAGE_NAMES, LANGUAGES, type Language, useFormat, useT, useTranslateDynamic } from '../i18n';
import { hasRole, useMe } from '../session';

type Template = Schemas['Template'];
type Placeholder = Schemas['TemplatePlaceholder'];
type Texts = Partial<Record<Language, { title: string; purpose: string; body: string }>>;
const KINDS = ['text', 'party', 'place', 'date', 'number'] as const;

interface Draft {
  name: string;
  language: Language;
  texts: Texts;
  placeholders: Placeholder[];
  shared: boolean;
}
const EMPTY_TEXT = { title: '', purpose: '', body: '' };

export function TemplatesPage() {
  const t = useT();
  const f = useFormat();
  const me = useMe().data;
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const list = useQuery({
    queryKey: ['templates', 'all'],
    queryFn: () => unwrap(api.GET('/templates', { params: { query: { pageSize: 100 } } })),
  });
  const mayEdit = (owner: string | null) =>
    hasRole(me, 'admin') || (owner !== null && owner === me?.organisationId && hasRole(me, 'coordinator'));
  return (
    <>
      <h1>{t('templateEditor.title')}</h1>
      <p className="muted">{t('templateEditor.intro')}</p>
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error} />
      {list.data && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
          <table>
            <caption className="visually-hidden">{t('templateEditor.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('templates.languages')}</th>
                <th scope="col">{t('templates.version')}</th>
                <th scope="col">{t('templateEditor.updated')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((x) => (
                <tr key={x.id}>
                  <td>
                    {x.name}
                    {x.shared && <span className="badge"> {t('templateEditor.sharedMark')}</span>}
                  </td>
                  <td>{x.languages.map((l) => LANGUAGE_NAMES[l]).join(', ')}</td>
                  <td>{x.currentVersion}</td>
                  <td>{f.dateTime(x.updatedAt)}</td>
                  <td>
                    <Link to="/memoranda/from-template" search={{ template: x.id }}>
                      {t('templates.fromTemplate')}
                    </Link>{' '}
                    {mayEdit(x.organisationId) && (
                      <button type="button" aria-expanded={editing === x.id} onClick={() => setEditing(x.id)}>
                        {t('people.edit')}
                        <span className="visually-hidden"> {x.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing === null && (
        <p>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('templateEditor.new')}
          </button>
        </p>
      )}
      {editing === 'new' && <TemplateEditor key="new" onClose={() => setEditing(null)} />}
      {editing && editing !== 'new' && <ExistingTemplate key={editing} id={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function ExistingTemplate({ id, onClose }: { id: string; onClose: () => void }) {
  const template = useQuery({
    queryKey: ['templates', id, 'current'],
    queryFn: () => unwrap(api.GET('/templates/{id}', { params: { path: { id }, query: {} } })),
  });
  if (template.isPending) return <Loading />;
  if (template.error) return <ErrorNotice error={template.error} />;
  return <TemplateEditor template={template.data} onClose={onClose} />;
}

function draftOf(template?: Template): Draft {
  if (!template) return { name: '', language: 'ru', texts: { ru: { ...EMPTY_TEXT } }, placeholders: [], shared: false };
  return {
    name: template.name,
    language: template.language,
    texts: Object.fromEntries(
      Object.entries(template.texts).map(([l, x]) => [l, { title: x.title, purpose: x.purpose, body: x.body }]),
    ),
    placeholders: template.placeholders.map((p) => ({ ...p })),
    shared: template.shared,
  };
}

function TemplateEditor({ template, onClose }: { template?: Template; onClose: () => void }) {
  const t = useT();
  const td = useTranslateDynamic();
  const qc = useQueryClient();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const [draft, setDraft] = useState<Draft>(() => draftOf(template));
  const [shown, setShown] = useState<Language>(draft.language);
  const languages = LANGUAGES.filter((l) => draft.texts[l]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setText = (l: Language, key: 'title' | 'purpose' | 'body', value: string) =>
    setDraft((d) => ({ ...d, texts: { ...d.texts, [l]: { ...(d.texts[l] ?? EMPTY_TEXT), [key]: value } } }));
  const setPlaceholder = (i: number, patch: Partial<Placeholder>) =>
    setDraft((d) => ({ ...d, placeholders: d.placeholders.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
  const save = useMutation({
    mutationFn: () => {
      const placeholders = draft.placeholders.map((p) => ({
        name: p.name.trim(),
        kind: p.kind,
        ...(p.label?.trim() ? { label: p.label.trim() } : {}),
        required: p.required !== false,
        ...(p.default?.trim() ? { default: p.default.trim() } : {}),
      }));
      const body = {
        name: draft.name,
        language: draft.language,
        texts: draft.texts,
        placeholders,
        shared: draft.shared,
      };
      return template
        ? unwrap(api.PATCH('/templates/{id}', { params: { path: { id: template.id } }, body }))
        : unwrap(api.POST('/templates', { body }));
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['templates'] });
      onClose();
    },
  });
  const text = draft.texts[shown] ?? EMPTY_TEXT;
  return (
    <section className="card" aria-labelledby="tpl-edit">
      <h2 id="tpl-edit" ref={heading} tabIndex={-1}>
        {template ? t('templateEditor.editing', { name: template.name }) : t('templateEditor.new')}
      </h2>
      {template && <p className="muted">{t('templateEditor.newVersion', { version: template.currentVersion + 1 })}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <div className="grid2">
          <Field label={t('admin.name')} id="tpl-name">
            <input id="tpl-name" value={draft.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} />
          </Field>
          <Field label={t('templateEditor.original')} id="tpl-language">
            <select
              id="tpl-language"
              value={draft.language}
              onChange={(e) => {
                const l = e.target.value as Language;
                setDraft((d) => ({
                  ...d,
                  language: l,
                  texts: d.texts[l] ? d.texts : { ...d.texts, [l]: { ...EMPTY_TEXT } },
                }));
                setShown(l);
              }}
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <fieldset>
          <legend>{t('templateEditor.texts')}</legend>
          <p className="muted small">{t('templateEditor.textsHint')}</p>
          <div className="row" role="group" aria-label={t('templateEditor.texts')}>
            {languages.map((l) => (
              <button key={l} type="button" aria-pressed={shown === l} onClick={() => setShown(l)}>
                {LANGUAGE_NAMES[l]}
              </button>
            ))}
            {LANGUAGES.filter((l) => !draft.texts[l]).map((l) => (
              <button
                key={l}
                type="button"
                onClick={() => {
                  setDraft((d) => ({ ...d, texts: { ...d.texts, [l]: { ...EMPTY_TEXT } } }));
                  setShown(l);
                }}
              >
                {t('templateEditor.addLanguage', { language: LANGUAGE_NAMES[l] })}
              </button>
            ))}
          </div>
          <div lang={shown}>
            <Field label={t('templateEditor.textTitle', { language: LANGUAGE_NAMES[shown] })} id="tpl-title">
              <input id="tpl-title" value={text.title} onChange={(e) => setText(shown, 'title', e.target.value)} />
            </Field>
            <Field label={t('templateEditor.textPurpose', { language: LANGUAGE_NAMES[shown] })} id="tpl-purpose">
              <textarea
                id="tpl-purpose"
                rows={3}
                value={text.purpose}
                onChange={(e) => setText(shown, 'purpose', e.target.value)}
              />
            </Field>
            <Field label={t('templateEditor.textBody', { language: LANGUAGE_NAMES[shown] })} id="tpl-body">
              <textarea
                id="tpl-body"
                rows={12}
                value={text.body}
                onChange={(e) => setText(shown, 'body', e.target.value)}
              />
            </Field>
          </div>
          {shown !== draft.language && (
            <button
              type="button"
              onClick={() => {
                setDraft((d) => ({
                  ...d,
                  texts: Object.fromEntries(Object.entries(d.texts).filter(([l]) => l !== shown)),
                }));
                setShown(draft.language);
              }}
            >
              {t('templateEditor.removeLanguage', { language: LANGUAGE_NAMES[shown] })}
            </button>
          )}
        </fieldset>
        <fieldset>
          <legend>{t('templateEditor.placeholders')}</legend>
          <p className="muted small">{t('templateEditor.placeholdersHint')}</p>
          {draft.placeholders.map((p, i) => (
            <div
              className="grid3 placeholder-row"
              key={i}
              role="group"
              aria-label={t('templateEditor.placeholderN', { n: i + 1 })}
            >
              <Field label={t('templateEditor.placeholderName')} id={`ph-name-${i}`}>
                <input
                  id={`ph-name-${i}`}
                  value={p.name}
                  onChange={(e) => setPlaceholder(i, { name: e.target.value })}
                />
              </Field>
              <Field label={t('templateEditor.placeholderKind')} id={`ph-kind-${i}`}>
                <select
                  id={`ph-kind-${i}`}
                  value={p.kind}
                  onChange={(e) => setPlaceholder(i, { kind: e.target.value as Placeholder['kind'] })}
                >
                  {KINDS.map((k) => (
                    <option key={k} value={k}>
                      {td(`templateEditor.kind_${k}`, k)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('templateEditor.placeholderLabel')} id={`ph-label-${i}`}>
                <input
                  id={`ph-label-${i}`}
                  value={p.label ?? ''}
                  onChange={(e) => setPlaceholder(i, { label: e.target.value })}
                />
              </Field>
              <Field label={t('templateEditor.placeholderDefault')} id={`ph-default-${i}`}>
                <input
                  id={`ph-default-${i}`}
                  value={p.default ?? ''}
                  onChange={(e) => setPlaceholder(i, { default: e.target.value })}
                />
              </Field>
              <label className="check">
                <input
                  type="checkbox"
                  checked={p.required !== false}
                  onChange={(e) => setPlaceholder(i, { required: e.target.checked })}
                />{' '}
                {t('templateEditor.placeholderRequired')}
              </label>
              <p>
                <button
                  type="button"
                  onClick={() => setDraft((d) => ({ ...d, placeholders: d.placeholders.filter((_, j) => j !== i) }))}
                >
                  {t('templateEditor.removePlaceholder', { name: p.name || String(i + 1) })}
                </button>
              </p>
            </div>
          ))}
          <button
            type="button"
            onClick={() =>
              setDraft((d) => ({ ...d, placeholders: [...d.placeholders, { name: '', kind: 'text', required: true }] }))
            }
          >
            {t('templateEditor.addPlaceholder')}
          </button>
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={draft.shared} onChange={(e) => set({ shared: e.target.checked })} />{' '}
          {t('templateEditor.shared')}
        </label>
        <ErrorNotice error={save.error} />
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending || !draft.name.trim()}>
            {template ? t('templateEditor.saveVersion') : t('templateEditor.create')}
          </button>
          <button type="button" onClick={onClose}>
            {t('people.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
