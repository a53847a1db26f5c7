/**
 * An admin's edits of one user (name, e-mail, organisation; the password reset) and of one
 * organisation (name, short name, BIN, e-mail, system), each a panel under its table opened by the
 * row's Edit button. The server checks everything again (the BIN's control digit, a taken e-mail)
 * and its refusals are named on the fields.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, type Schemas, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, useFieldError } from '../../components/ui';
import { useOrganisations } from '../../data';
import { useT } from '../../i18n';

type User = Schemas['User'];
type Organisation = Schemas['Organisation'];

/** The end of both editors: the save's error or success, then Save and Cancel. */
function SaveOrCancel({
  save,
  onClose,
}: {
  save: { error: unknown; isSuccess: boolean; isPending: boolean };
  onClose: () => void;
}) {
  const t = useT();
  return (
    <>
      <ErrorNotice error={save.error} />
      {save.isSuccess && (
        <p role="status" className="notice ok">
          {t('common.saved')}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('people.cancel')}
        </button>
      </div>
    </>
  );
}

/** The panel's heading takes the focus when it opens (keyboard and screen reader users land on it). */
function useFocusOnOpen() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

const userSchema = z.object({
  fullName: z.string().trim().min(1, 'required').max(200, 'tooLong'),
  email: z.string().trim().email('email').max(254, 'tooLong'),
  organisationId: z.string().uuid('required'),
});

export function UserEditor({ user, onClose }: { user: User; onClose: () => void }) {
  const t = useT();
  const fe = useFieldError();
  const qc = useQueryClient();
  const orgs = useOrganisations();
  const heading = useFocusOnOpen();
  const form = useForm({
    resolver: zodResolver(userSchema),
    defaultValues: { fullName: user.fullName, email: user.email, organisationId: user.organisationId },
  });
  const save = useMutation({
    mutationFn: (v: z.infer<typeof userSchema>) =>
      unwrap(api.PATCH('/users/{id}', { params: { path: { id: user.id } }, body: v })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const [confirming, setConfirming] = useState(false);
  const reset = useMutation({
    mutationFn: () => unwrap(api.POST('/users/{id}/password-reset', { params: { path: { id: user.id } } })),
    onSuccess: () => {
      setConfirming(false);
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const err = form.formState.errors;
  return (
    <section className="card" aria-labelledby="edit-user">
      <h2 id="edit-user" ref={heading} tabIndex={-1}>
        {t('people.editUser', { name: user.fullName })}
      </h2>
      <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <div className="grid3">
          <Field label={t('profile.fullName')} id="e-name" error={fe(err.fullName?.message)}>
            <input id="e-name" {...form.register('fullName')} />
          </Field>
          <Field label={t('auth.email')} id="e-email" error={fe(err.email?.message)}>
            <input id="e-email" type="email" {...form.register('email')} />
          </Field>
          <Field
            label={t('parties.organisation')}
            id="e-org"
            hint={t('people.moveNote')}
            error={fe(err.organisationId?.message)}
          >
            <select id="e-org" aria-describedby="e-org-hint" {...form.register('organisationId')}>
              {orgs.data?.items.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.shortName}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <SaveOrCancel save={save} onClose={onClose} />
      </form>
      <h3>{t('people.resetPassword')}</h3>
      <p>{t('people.resetExplain', { name: user.fullName })}</p>
      {confirming ? (
        <div className="row">
          <button type="button" className="primary" disabled={reset.isPending} onClick={() => reset.mutate()}>
            {t('people.resetConfirm')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('people.cancel')}
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          {t('people.resetPassword')}
        </button>
      )}
      <ErrorNotice error={reset.error} />
      {reset.data && (
        <div className="notice ok" role="status">
          <p>{t('people.temporaryPassword', { name: user.fullName })}</p>
          <code className="secret" data-testid="temporary-password">
            {reset.data.temporaryPassword}
          </code>
        </div>
      )}
    </section>
  );
}

const organisationSchema = z.object({
  name: z.string().trim().min(1, 'required').max(300, 'tooLong'),
  shortName: z.string().trim().min(1, 'required').max(100, 'tooLong'),
  bin: z
    .string()
    .trim()
    .regex(/^(\d{12})?$/, 'bin'),
  email: z.union([z.literal(''), z.string().trim().email('email').max(254, 'tooLong')]),
  system: z.boolean(),
});

export function OrganisationEditor({ organisation, onClose }: { organisation: Organisation; onClose: () => void }) {
  const t = useT();
  const fe = useFieldError();
  const qc = useQueryClient();
  const heading = useFocusOnOpen();
  const form = useForm({
    resolver: zodResolver(organisationSchema),
    defaultValues: {
      name: organisation.name,
      shortName: organisation.shortName,
      bin: organisation.bin ?? '',
      email: organisation.email ?? '',
      system: organisation.system,
    },
  });
  const save = useMutation({
    mutationFn: (v: z.infer<typeof organisationSchema>) =>
      unwrap(
        api.PATCH('/organisations/{id}', {
          params: { path: { id: organisation.id } },
          body: { ...v, bin: v.bin || null, email: v.email || null },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['organisations'] }),
  });
  const err = form.formState.errors;
  return (
    <section className="card" aria-labelledby="edit-org">
      <h2 id="edit-org" ref={heading} tabIndex={-1}>
        {t('people.editOrganisation', { name: organisation.shortName })}
      </h2>
      <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <div className="grid3">
          <Field label={t('admin.name')} id="eo-name" error={fe(err.name?.message)}>
            <input id="eo-name" {...form.register('name')} />
          </Field>
          <Field label={t('admin.shortName')} id="eo-short" error={fe(err.shortName?.message)}>
            <input id="eo-short" {...form.register('shortName')} />
          </Field>
          <Field label={t('admin.bin')} id="eo-bin" error={fe(err.bin?.message)}>
            <input id="eo-bin" inputMode="numeric" maxLength={12} {...form.register('bin')} />
          </Field>
          <Field label={t('auth.email')} id="eo-email" error={fe(err.email?.message)}>
            <input id="eo-email" type="email" {...form.register('email')} />
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" {...form.register('system')} /> {t('people.system')}
        </label>
        <SaveOrCancel save={save} onClose={onClose} />
      </form>
    </section>
  );
}
