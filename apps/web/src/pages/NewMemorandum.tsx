import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { useLocale, useT } from '../i18n';
import { useMe } from '../session';
import { DraftForm, type DraftValues, translationsBody } from './memorandum/DraftForm';

export function NewMemorandumPage() {
  const t = useT();
  const me = useMe().data!;
  const { language } = useLocale();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (v: DraftValues) =>
      unwrap(
        api.POST('/memoranda', {
          body: {
            title: v.title,
            purpose: v.purpose,
            body: v.body,
            language: v.language,
            translations: translationsBody(v) ?? undefined,
            timeZone: v.timeZone || undefined,
            effectiveDate: v.effectiveDate || undefined,
            endDate: v.endDate || undefined,
            orderedReview: v.orderedReview,
            coordinatingOrganisationId: me.organisationId,
          },
        }),
      ),
    onSuccess: async (m) => {
      await qc.invalidateQueries({ queryKey: ['memoranda'] });
      await navigate({ to: '/memoranda/$id', params: { id: m.id }, search: { tab: 'overview' } });
    },
  });
  return (
    <>
      <h1>{t('memoranda.new')}</h1>
      <p className="muted">{t('draft.intro')}</p>
      <div className="card">
        <DraftForm
          initial={{
            title: '',
            purpose: '',
            body: '',
            language,
            translations: [],
            equallyAuthentic: false,
            timeZone: '',
            effectiveDate: '',
            endDate: '',
            orderedReview: false,
          }}
          submitLabel={t('draft.create')}
          pending={create.isPending}
          onSubmit={(v) => create.mutate(v)}
        >
          <ErrorNotice error={create.error} />
        </DraftForm>
      </div>
    </>
  );
}
