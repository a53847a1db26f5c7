/** The draft's text and terms: used to create a memorandum and to edit a draft (with its version). */
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Field, useFieldError } from '../../components/ui';
import { LANGUAGE_NAMES, LANGUAGES, useT } from '../../i18n';

const ymd = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'date')
  .optional();

export const draftSchema = z
  .object({
    title: z.string().trim().min(1, 'required').max(500, 'tooLong'),
    purpose: z.string().trim().min(1, 'required').max(5000, 'tooLong'),
    body: z.string().trim().min(1, 'required').max(200000, 'tooLong'),
    language: z.enum(LANGUAGES),
    timeZone: z.string().max(64).optional(),
    effectiveDate: ymd,
    endDate: ymd,
    orderedReview: z.boolean(),
  })
  .refine((v) => !v.effectiveDate || !v.endDate || v.endDate > v.effectiveDate, {
    path: ['endDate'],
    message: 'endAfterStart',
  });
export type DraftValues = z.infer<typeof draftSchema>;

export function DraftForm({
  initial,
  submitLabel,
  pending,
  onSubmit,
  children,
}: {
  initial: DraftValues;
  submitLabel: string;
  pending: boolean;
  onSubmit: (v: DraftValues) => void;
  children?: React.ReactNode;
}) {
  const t = useT();
  const fe = useFieldError();
  const form = useForm<DraftValues>({ resolver: zodResolver(draftSchema), defaultValues: initial });
  const err = form.formState.errors;
  return (
    <form onSubmit={form.handleSubmit(onSubmit)} noValidate className="draft-form">
      <Field label={t('draft.title')} id="d-title" error={fe(err.title?.message)}>
        <input id="d-title" {...form.register('title')} />
      </Field>
      <Field label={t('draft.purpose')} id="d-purpose" error={fe(err.purpose?.message)}>
        <textarea id="d-purpose" rows={3} {...form.register('purpose')} />
      </Field>
      <Field label={t('draft.body')} id="d-body" error={fe(err.body?.message)}>
        <textarea id="d-body" rows={14} {...form.register('body')} />
      </Field>
      <div className="grid3">
        <Field label={t('draft.language')} id="d-language">
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
      {children}
      <button type="submit" className="primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
