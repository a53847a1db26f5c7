/** The language switch of the header and of the pages shown before the frame (sign-in, a new password). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { type Language, LANGUAGE_NAMES, LANGUAGES, useLocale, useT } from '../i18n';
import { ME_KEY } from '../session';

export function LanguageSwitcher({ save }: { save?: boolean }) {
  const { language, setLanguage } = useLocale();
  const t = useT();
  const qc = useQueryClient();
  const persist = useMutation({
    mutationFn: (l: Language) => unwrap(api.PATCH('/me', { body: { language: l } })),
    onSuccess: (me) => qc.setQueryData(ME_KEY, me),
  });
  return (
    <label className="language">
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        value={language}
        onChange={(e) => {
          const l = e.target.value as Language;
          setLanguage(l);
          if (save) persist.mutate(l);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
