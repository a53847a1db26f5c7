/**
 * New memorandum from a template (coordinator): choose a template and its version, fill its
 * placeholders (a form made from the template's placeholder list, checked with zod), choose the
 * parties and the lead party of each commitment blueprint, create — then the new draft with its
 * commitments. A placeholder or a lead the API refuses (422) is shown on its field.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, ApiFailure, type Schemas, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field, Loading, useFieldError } from '../components/ui';
import { useOrganisations } from '../data';
import { LANGUAGE_NAMES, type Language, useT } from '../i18n';
import { useRuleWords } from './followup/RuleWords';
import { useMe } from '../session';

type Template = Schemas['Template'];
type Placeholder = Schemas['TemplatePlaceholder'];
type Role = Schemas['AddPartyDto']['role'];
const ROLES: Role[] = ['signatory', 'observer', 'witness'];

/** The zod schema of a template's placeholders: dates as YYYY-MM-DD, numbers as numbers, required unless defaulted. */
export function placeholderSchema(placeholders: Placeholder[]) {
  const shape: Record<string, z.ZodString> = {};
  for (const p of placeholders) {
    let s = z.string().trim().max(1000, 'tooLong');
    if (p.kind === 'date') s = s.regex(/^(\d{4}-\d{2}-\d{2})?$/, 'date');
    if (p.kind === 'number') s = s.regex(/^(-?\d{1,15}(\.\d{1,6})?)?$/, 'number');
    shape[p.name] = p.required !== false && p.default === undefined ? s.min(1, 'required') : s;
  }
  return z.object(shape) as unknown as z.ZodType<Record<string, string>, Record<string, string>>;
}

export function FromTemplatePage() {
  const t = useT();
  const search = useSearch({ from: '/signed-in/memoranda/from-template' });
  const navigate = useNavigate({ from: '/memoranda/from-template' });
  const templates = useQuery({
    queryKey: ['templates', 'all'],
    queryFn: () => unwrap(api.GET('/templates', { params: { query: { pageSize: 100 } } })),
  });
  const chosen = search.template ?? templates.data?.items[0]?.id;
  const template = useQuery({
    queryKey: ['templates', chosen, search.version ?? 'current'],
    queryFn: () =>
      unwrap(
        api.GET('/templates/{id}', {
          params: { path: { id: chosen! }, query: search.version ? { version: search.version } : {} },
        }),
      ),
    enabled: !!chosen,
  });
  if (templates.isPending) return <Loading />;
  if (templates.error) return <ErrorNotice error={templates.error} />;
  const items = templates.data.items;
  const current = items.find((x) => x.id === chosen);
  return (
    <>
      <p className="crumbs">
        <Link to="/memoranda" search={{ page: 1 }}>
          {t('nav.memoranda')}
        </Link>
      </p>
      <h1>{t('templates.title')}</h1>
      <p className="muted">{t('templates.intro')}</p>
      {items.length === 0 ? (
        <p>{t('templates.none')}</p>
      ) : (
        <section className="card" aria-labelledby="tpl-choose">
          <h2 id="tpl-choose">{t('templates.choose')}</h2>
          <div className="grid2">
            <Field label={t('templates.template')} id="tpl-template">
              <select
                id="tpl-template"
                value={chosen}
                onChange={(e) => void navigate({ search: { template: e.target.value } })}
              >
                {items.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            </Field>
            {current && (
              <Field label={t('templates.version')} id="tpl-version">
                <select
                  id="tpl-version"
                  value={search.version ?? current.currentVersion}
                  onChange={(e) => void navigate({ search: { template: current.id, version: Number(e.target.value) } })}
                >
                  {Array.from({ length: current.currentVersion }, (_, i) => current.currentVersion - i).map((v) => (
                    <option key={v} value={v}>
                      {v === current.currentVersion
                        ? t('templates.versionCurrent', { version: v })
                        : t('templates.versionN', { version: v })}
                    </option>
                  ))}
                </select>
              </Field>
            )}
          </div>
          {template.data && <TemplateFacts tpl={template.data} />}
        </section>
      )}
      {template.isPending && chosen && <Loading />}
      {template.error && <ErrorNotice error={template.error} />}
      {template.data && <FromTemplateForm key={`${template.data.id}-${template.data.version}`} tpl={template.data} />}
    </>
  );
}

function TemplateFacts({ tpl }: { tpl: Template }) {
  const t = useT();
  return (
    <dl className="facts">
      <dt>{t('templates.languages')}</dt>
      <dd>
        {tpl.languages.map((l) => LANGUAGE_NAMES[l as Language] ?? l).join(', ')}
        {tpl.defaults.equallyAuthentic ? ` — ${t('templates.equallyAuthentic')}` : ''}
      </dd>
      <dt>{t('templates.versionMade')}</dt>
      <dd>{t('templates.versionN', { version: tpl.version })}</dd>
      <dt>{t('templates.blueprints')}</dt>
      <dd>{t('templates.blueprintCount', { count: tpl.commitmentBlueprints.length })}</dd>
    </dl>
  );
}

function FromTemplateForm({ tpl }: { tpl: Template }) {
  const t = useT();
  const fe = useFieldError();
  const me = useMe().data!;
  const orgs = useOrganisations();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const schema = useMemo(() => placeholderSchema(tpl.placeholders), [tpl]);
  const defaults = Object.fromEntries(tpl.placeholders.map((p) => [p.name, p.default ?? '']));
  const form = useForm<Record<string, string>>({ resolver: zodResolver(schema), defaultValues: defaults });
  const [parties, setParties] = useState<Record<string, Role | ''>>({ [me.organisationId]: 'signatory' });
  const [leads, setLeads] = useState<Record<string, string>>({});
  const [leadErrors, setLeadErrors] = useState<Record<string, string>>({});
  const chosenParties = (orgs.data?.items ?? []).filter((o) => parties[o.id]);
  const defaultLead = parties[me.organisationId] ? me.organisationId : '';
  const create = useMutation({
    mutationFn: (values: Record<string, string>) =>
      unwrap(
        api.POST('/memoranda/from-template', {
          body: {
            templateId: tpl.id,
            version: tpl.version,
            values: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')),
            coordinatingOrganisationId: me.organisationId,
            parties: chosenParties.map((o) => ({ organisationId: o.id, role: parties[o.id] as Role })),
            blueprintLeads: tpl.commitmentBlueprints
              .filter((b) => leads[b.key] && leads[b.key] !== defaultLead)
              .map((b) => ({ key: b.key, leadOrganisationId: leads[b.key] })),
          },
        }),
      ),
    onMutate: () => setLeadErrors({}),
    onSuccess: async (m) => {
      await qc.invalidateQueries({ queryKey: ['memoranda'] });
      await navigate({ to: '/memoranda/$id', params: { id: m.id }, search: { tab: 'overview' } });
    },
    onError: (e) => {
      if (!(e instanceof ApiFailure)) return;
      const byLead: Record<string, string> = {};
      for (const f of e.body.errors ?? []) {
        const value = /^values\.(.+)$/.exec(f.field);
        if (value)
          form.setError(value[1], { type: 'server', message: t('templates.valueRefused', { detail: f.message }) });
        const lead = /^(?:blueprintLeads|commitmentBlueprints)\.([A-Za-z][A-Za-z0-9_]*)/.exec(f.field);
        if (lead)
          byLead[lead[1]] = /needs a lead party/.test(f.message)
            ? t('templates.leadMissing')
            : /is not a party/.test(f.message)
              ? t('templates.leadNotParty')
              : f.message;
      }
      setLeadErrors(byLead);
    },
  });
  const err = form.formState.errors;
  const every = useRuleWords();
  const filled = form.watch();
  /** A blueprint's title with the values typed so far (as the API will fill it). */
  const fill = (text: string) =>
    text.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => filled[name] || whole);
  const changeParties = (next: Record<string, Role | ''>) => {
    setParties(next);
    setLeadErrors({});
    create.reset();
  };
  return (
    <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate aria-labelledby="tpl-fill">
      <section className="card">
        <h2 id="tpl-fill">{t('templates.values')}</h2>
        {tpl.placeholders.length === 0 && <p className="muted">{t('templates.noPlaceholders')}</p>}
        <div className="grid2">
          {tpl.placeholders.map((p) => {
            const id = `ph-${p.name}`;
            const message = err[p.name]?.message;
            const required = p.required !== false && p.default === undefined;
            return (
              <Field
                key={p.name}
                id={id}
                label={`${p.label ?? p.name}${required ? ' *' : ''}`}
                hint={t(`templates.kind_${p.kind}`)}
                error={message ? fe(message) : undefined}
              >
                <input
                  id={id}
                  type={p.kind === 'date' ? 'date' : 'text'}
                  inputMode={p.kind === 'number' ? 'decimal' : undefined}
                  aria-invalid={message ? true : undefined}
                  aria-describedby={`${id}-hint${message ? ` ${id}-error` : ''}`}
                  {...form.register(p.name)}
                />
              </Field>
            );
          })}
        </div>
      </section>
      <section className="card" aria-labelledby="tpl-parties">
        <h2 id="tpl-parties">{t('templates.parties')}</h2>
        <p className="muted small">{t('templates.partiesHint')}</p>
        {orgs.isPending && <Loading />}
        <ul className="party-picker">
          {(orgs.data?.items ?? [])
            .filter((o) => o.active && !o.system)
            .map((o) => (
              <li key={o.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={!!parties[o.id]}
                    onChange={(e) => changeParties({ ...parties, [o.id]: e.target.checked ? 'signatory' : '' })}
                  />{' '}
                  {o.name}
                </label>
                {parties[o.id] && (
                  <label>
                    <span className="visually-hidden">{t('templates.roleOf', { name: o.shortName })}</span>
                    <select
                      value={parties[o.id]}
                      onChange={(e) => changeParties({ ...parties, [o.id]: e.target.value as Role })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`partyRole.${r}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
              </li>
            ))}
        </ul>
      </section>
      {tpl.commitmentBlueprints.length > 0 && (
        <section className="card" aria-labelledby="tpl-leads">
          <h2 id="tpl-leads">{t('templates.blueprints')}</h2>
          <p className="muted small">{t('templates.leadsHint')}</p>
          {tpl.commitmentBlueprints.map((b) => {
            const id = `lead-${b.key}`;
            return (
              <Field
                key={b.key}
                id={id}
                label={t('templates.leadOf', { title: fill(b.title) })}
                hint={
                  b.rrule
                    ? t('templates.recurs', { every: every(b.rrule) ?? b.rrule })
                    : b.dueAfterMonths
                      ? t('templates.dueAfter', { months: b.dueAfterMonths })
                      : undefined
                }
                error={leadErrors[b.key]}
              >
                <select
                  id={id}
                  value={leads[b.key] ?? defaultLead}
                  aria-invalid={leadErrors[b.key] ? true : undefined}
                  onChange={(e) => {
                    setLeads({ ...leads, [b.key]: e.target.value });
                    setLeadErrors({ ...leadErrors, [b.key]: '' });
                    create.reset();
                  }}
                >
                  <option value="">{t('templates.chooseLead')}</option>
                  {chosenParties.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.shortName}
                    </option>
                  ))}
                </select>
              </Field>
            );
          })}
        </section>
      )}
      <ErrorNotice error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? t('templates.creating') : t('templates.create')}
      </button>
    </form>
  );
}
