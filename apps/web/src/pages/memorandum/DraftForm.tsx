/**
 * The draft's text in each of its languages and its terms: used to create a memorandum and to edit
 * a draft (with its version). One section per language — the original, then each translation —
 * shown one at a time; every language is sent in the same request.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { type FieldErrors, useFieldArray, useForm } from 'react-hook-form';
import { z } from 'zod';
import type { Schemas } from '../../api/client';
import { Field, useFieldError } from '../../components/ui';
import { type Language, LANGUAGE_NAMES, LANGUAGES, useT } from '../../i18n';
import { languageList } from './LanguageVersions';
import './languages.css';

const ymd = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'date')
  .optional();

const text = {
  title: z.string().trim().min(1, 'required').max(500, 'tooLong'),
  purpose: z.string().trim().min(1, 'required').max(5000, 'tooLong'),
  body: z.string().trim().min(1, 'required').max(200000, 'tooLong'),
};

export const draftSchema = z
  .object({
    ...text,
    language: z.enum(LANGUAGES),
    translations: z.array(z.object({ language: z.enum(LANGUAGES), ...text })),
    equallyAuthentic: z.boolean(),
    timeZone: z.string().max(64).optional(),
    effectiveDate: ymd,
    endDate: ymd,
    orderedReview: z.boolean(),
  })
  .refine((v) => !v.effectiveDate || !v.endDate || v.endDate > v.effectiveDate, {
    path: ['endDate'],
    message: 'endAfterStart',
  })
  .refine((v) => !v.translations.some((x) => x.language === v.language), {
    path: ['language'],
    message: 'translationInOriginal',
  });
export type DraftValues = z.infer<typeof draftSchema>;

/** The API's translations of a memorandum as the form's list, in the order of LANGUAGES. */
export function translationsOf(m: {
  language: string;
  translations?: Schemas['RevisionTranslations'] | null;
}): Pick<DraftValues, 'translations' | 'equallyAuthentic'> {
  const texts = m.translations?.texts ?? {};
  return {
    translations: LANGUAGES.filter((l) => l !== m.language && texts[l]).map((l) => ({ language: l, ...texts[l]! })),
    equallyAuthentic: !!m.translations?.equallyAuthentic,
  };
}

/** The form's translations as the API takes them: null when there is none. */
export function translationsBody(v: DraftValues): Schemas['Translations'] | null {
  if (!v.translations.length) return null;
  return {
    equallyAuthentic: v.equallyAuthentic,
    texts: Object.fromEntries(
      v.translations.map((x) => [x.language, { title: x.title, purpose: x.purpose, body: x.body }]),
    ),
  };
}

const same = (a: { title: string; purpose: string; body: string }, b: typeof a) =>
  a.title.trim() === b.title.trim() && a.purpose.trim() === b.purpose.trim() && a.body.trim() === b.body.trim();

export function DraftForm({
  initial,
  submitLabel,
  pending,
  onSubmit,
  stale = [],
  onTranslationChecked,
  checkPending = false,
  children,
}: {
  initial: DraftValues;
  submitLabel: string;
  pending: boolean;
  /** `checked`: translations confirmed checked together with this save. */
  onSubmit: (v: DraftValues, checked?: Language[]) => void;
  /** Translations the server marks as possibly out of date. */
  stale?: readonly string[];
  /** Confirms a translation checked against the original (clears its mark); only when editing. */
  onTranslationChecked?: (language: Language) => void;
  checkPending?: boolean;
  children?: React.ReactNode;
}) {
  const t = useT();
  const fe = useFieldError();
  const form = useForm<DraftValues>({ resolver: zodResolver(draftSchema), defaultValues: initial });
  const translations = useFieldArray({ control: form.control, name: 'translations' });
  const err = form.formState.errors;
  // 'original', or the language of a translation.
  const [active, setActive] = useState<'original' | Language>('original');
  const language = form.watch('language');
  const watched = form.watch();
  const present = [language, ...watched.translations.map((x) => x.language)];
  const addable = LANGUAGES.filter((l) => !present.includes(l));
  const [adding, setAdding] = useState<Language | ''>('');
  const toAdd = adding && addable.includes(adding) ? adding : addable[0];

  // Said before saving: the original changed in this form while a translation did not.
  const originalChanged = !same(watched, initial) || language !== initial.language;
  const willBeStale = originalChanged
    ? watched.translations
        .filter((x) => {
          const before = initial.translations.find((y) => y.language === x.language);
          return before && same(x, before) && !stale.includes(x.language);
        })
        .map((x) => x.language)
    : [];

  const showErrors = (errors: FieldErrors<DraftValues>) => {
    if (errors.title || errors.purpose || errors.body || errors.language) return setActive('original');
    const i = (errors.translations as unknown[] | undefined)?.findIndex((e) => !!e) ?? -1;
    if (i >= 0) setActive(watched.translations[i].language);
  };

  return (
    <form onSubmit={form.handleSubmit((v) => onSubmit(v), showErrors)} noValidate className="draft-form">
      <div className="lang-tabs" role="group" aria-label={t('languages.versions')}>
        <button type="button" aria-pressed={active === 'original'} onClick={() => setActive('original')}>
          {LANGUAGE_NAMES[language]} · {t('languages.original')}
          {(err.title || err.purpose || err.body) && ' ⛔'}
        </button>
        {translations.fields.map((f, i) => (
          <button key={f.id} type="button" aria-pressed={active === f.language} onClick={() => setActive(f.language)}>
            {LANGUAGE_NAMES[f.language]}
            {stale.includes(f.language) && ` ⚠ ${t('languages.staleShort')}`}
            {err.translations?.[i] && ' ⛔'}
          </button>
        ))}
        {addable.length > 0 && (
          <span className="add-language">
            <label htmlFor="d-add-language">{t('languages.add')}</label>
            <select id="d-add-language" value={toAdd} onChange={(e) => setAdding(e.target.value as Language)}>
              {addable.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={() => {
                translations.append({ language: toAdd, title: '', purpose: '', body: '' });
                setActive(toAdd);
              }}
            >
              {t('languages.addButton')}
            </button>
          </span>
        )}
      </div>

      <fieldset hidden={active !== 'original'} lang={language}>
        <legend>
          {LANGUAGE_NAMES[language]} · {t('languages.original')}
        </legend>
        <Field label={t('draft.title')} id="d-title" error={fe(err.title?.message)}>
          <input id="d-title" {...form.register('title')} />
        </Field>
        <Field label={t('draft.purpose')} id="d-purpose" error={fe(err.purpose?.message)}>
          <textarea id="d-purpose" rows={3} {...form.register('purpose')} />
        </Field>
        <Field label={t('draft.body')} id="d-body" error={fe(err.body?.message)}>
          <textarea id="d-body" rows={14} {...form.register('body')} />
        </Field>
      </fieldset>

      {translations.fields.map((f, i) => {
        const l = f.language;
        const e = err.translations?.[i];
        return (
          <fieldset key={f.id} hidden={active !== l} lang={l} data-language={l}>
            <legend>
              {LANGUAGE_NAMES[l]} · {t('languages.translation')}
            </legend>
            {stale.includes(l) && (
              <div className="notice lang-stale-notice" role="status">
                <p>{t('languages.staleExplained')}</p>
                {onTranslationChecked && (
                  <button
                    type="button"
                    disabled={checkPending || pending}
                    onClick={() =>
                      // With unsaved changes, they are saved with the confirmation rather than lost.
                      form.formState.isDirty
                        ? void form.handleSubmit((v) => onSubmit(v, [l]), showErrors)()
                        : onTranslationChecked(l)
                    }
                  >
                    {t('languages.checked', { language: LANGUAGE_NAMES[l] })}
                  </button>
                )}
              </div>
            )}
            <Field label={t('draft.title')} id={`d-title-${l}`} error={fe(e?.title?.message)}>
              <input id={`d-title-${l}`} {...form.register(`translations.${i}.title`)} />
            </Field>
            <Field label={t('draft.purpose')} id={`d-purpose-${l}`} error={fe(e?.purpose?.message)}>
              <textarea id={`d-purpose-${l}`} rows={3} {...form.register(`translations.${i}.purpose`)} />
            </Field>
            <Field label={t('draft.body')} id={`d-body-${l}`} error={fe(e?.body?.message)}>
              <textarea id={`d-body-${l}`} rows={14} {...form.register(`translations.${i}.body`)} />
            </Field>
            <button
              type="button"
              className="link"
              onClick={() => {
                translations.remove(i);
                setActive('original');
              }}
            >
              {t('languages.remove', { language: LANGUAGE_NAMES[l] })}
            </button>
          </fieldset>
        );
      })}

      {translations.fields.length > 0 && (
        <label className="check">
          <input type="checkbox" {...form.register('equallyAuthentic')} /> {t('languages.equallyAuthenticField')}
        </label>
      )}

      <div className="grid3">
        <Field label={t('draft.language')} id="d-language" error={fe(err.language?.message)}>
          <select id="d-language" {...form.register('language')}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('draft.effectiveDate')} id="d-effective" error={fe(err.effectiveDate?.message)}>
          <input id="d-effective" type="date" {...form.register('effectiveDate')} />
        </Field>
        <Field label={t('draft.endDate')} id="d-end" error={fe(err.endDate?.message)}>
          <input id="d-end" type="date" {...form.register('endDate')} />
        </Field>
      </div>
      <Field label={t('draft.timeZone')} id="d-tz">
        <input id="d-tz" placeholder="Asia/Almaty" {...form.register('timeZone')} />
      </Field>
      <label className="check">
        <input type="checkbox" {...form.register('orderedReview')} /> {t('draft.orderedReview')}
      </label>
      {willBeStale.length > 0 && (
        <p className="notice lang-will-be-stale">
          {t('languages.willBeStale', { languages: languageList(willBeStale), count: willBeStale.length })}
        </p>
      )}
      {children}
      <button type="submit" className="primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
