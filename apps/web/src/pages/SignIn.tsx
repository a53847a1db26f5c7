import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { Field, useFieldError } from '../components/ui';
import { useLocale, useT } from '../i18n';
import { ME_KEY } from '../session';

const schema = z.object({
  email: z.string().trim().min(1, 'required').max(254, 'tooLong'),
  password: z.string().min(1, 'required').max(200, 'tooLong'),
});

export function SignInPage() {
  const t = useT();
  const fe = useFieldError();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { next } = useSearch({ from: '/sign-in' });
  const { setLanguage } = useLocale();
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { email: '', password: '' } });
  const signIn = useMutation({
    mutationFn: (body: z.infer<typeof schema>) => unwrap(api.POST('/auth/session', { body })),
    onSuccess: async (session) => {
      qc.clear();
      qc.setQueryData(ME_KEY, session.user);
      setLanguage(session.user.language);
      const target = next && next.startsWith('/') && !next.startsWith('/sign-in') ? next : '/';
      await navigate({ to: target });
    },
  });
  const err = form.formState.errors;
  return (
    <main id="main" className="sign-in">
      <div className="card narrow">
        <div className="row between">
          <h1>{t('auth.title')}</h1>
          <LanguageSwitcher />
        </div>
        <p className="muted">{t('auth.intro')}</p>
        <form onSubmit={form.handleSubmit((v) => signIn.mutate(v))} noValidate>
          <Field label={t('auth.email')} id="email" error={fe(err.email?.message)}>
            <input id="email" type="email" autoComplete="username" {...form.register('email')} />
          </Field>
          <Field label={t('auth.password')} id="password" error={fe(err.password?.message)}>
            <input id="password" type="password" autoComplete="current-password" {...form.register('password')} />
          </Field>
          <ErrorNotice error={signIn.error} />
          <button type="submit" className="primary" disabled={signIn.isPending}>
            {t('auth.submit')}
          </button>
        </form>
        <p className="small">
          <Link to="/verify">{t('verify.signInLink')}</Link>
        </p>
      </div>
    </main>
  );
}
