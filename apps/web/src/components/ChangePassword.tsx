/**
 * One's own password: the current one and the new one twice (POST /me/password). The server ends
 * every session and token of the user and sets this browser's new session cookie; the answer's
 * user replaces the cached /me (so a must-change session opens the rest of the app).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, unwrap } from '../api/client';
import { useT } from '../i18n';
import { ME_KEY } from '../session';
import { ErrorNotice } from './ErrorNotice';
import { Field, useFieldError } from './ui';

const schema = z
  .object({
    currentPassword: z.string().min(1, 'required').max(200, 'tooLong'),
    newPassword: z.string().min(10, 'passwordShort').max(200, 'tooLong'),
    repeat: z.string(),
  })
  .refine((v) => v.newPassword === v.repeat, { path: ['repeat'], message: 'passwordsDiffer' });

export function ChangePasswordForm({ onChanged }: { onChanged?: () => void }) {
  const t = useT();
  const fe = useFieldError();
  const qc = useQueryClient();
  const form = useForm({
    resolver: zodResolver(schema),
    defaultValues: { currentPassword: '', newPassword: '', repeat: '' },
  });
  const change = useMutation({
    mutationFn: (v: z.infer<typeof schema>) =>
      unwrap(api.POST('/me/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } })),
    onSuccess: (answer) => {
      form.reset();
      qc.setQueryData(ME_KEY, answer.user);
      void qc.invalidateQueries({ queryKey: ['tokens'] });
      onChanged?.();
    },
  });
  const err = form.formState.errors;
  return (
    <form onSubmit={form.handleSubmit((v) => change.mutate(v))} noValidate>
      <Field label={t('account.currentPassword')} id="pw-current" error={fe(err.currentPassword?.message)}>
        <input id="pw-current" type="password" autoComplete="current-password" {...form.register('currentPassword')} />
      </Field>
      <Field
        label={t('account.newPassword')}
        id="pw-new"
        hint={t('account.passwordHint')}
        error={fe(err.newPassword?.message)}
      >
        <input
          id="pw-new"
          type="password"
          autoComplete="new-password"
          aria-describedby="pw-new-hint"
          {...form.register('newPassword')}
        />
      </Field>
      <Field label={t('account.repeatPassword')} id="pw-repeat" error={fe(err.repeat?.message)}>
        <input id="pw-repeat" type="password" autoComplete="new-password" {...form.register('repeat')} />
      </Field>
      <ErrorNotice error={change.error} />
      {change.isSuccess && (
        <p role="status" className="notice ok">
          {t('account.passwordChanged')}
        </p>
      )}
      <button type="submit" className="primary" disabled={change.isPending}>
        {t('account.changePassword')}
      </button>
    </form>
  );
}
