/**
 * Languages of the interface: kk, ru and en, ICU messages (react-intl) with each language's plural
 * rules. The signed-in user's language is the default; the switcher changes it (and saves it to
 * the profile). Times are shown in the user's time zone, else the browser's.
 */
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { en } from './en';
import { kk } from './kk';
import { ru } from './ru';
import type { Catalogue } from './catalogue';
import { KK_MONTHS } from './kk-months';

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };

type Flatten<C> = { [N in keyof C & string]: `${N}.${keyof C[N] & string}` }[keyof C & string];
export type MessageKey = Flatten<Catalogue>;

const catalogues: Record<Language, Catalogue> = { en, ru, kk };
const flat: Record<Language, Record<string, string>> = Object.fromEntries(
  LANGUAGES.map((l) => [
    l,
    Object.fromEntries(
      Object.entries(catalogues[l]).flatMap(([ns, msgs]) =>
        Object.entries(msgs as Record<string, string>).map(([k, v]) => [`${ns}.${k}`, v]),
      ),
    ),
  ]),
) as Record<Language, Record<string, string>>;

const STORAGE = 'kelisim.language';

export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  const browser = navigator.language.slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(browser) ? (browser as Language) : 'kk';
}

interface LocaleState {
  language: Language;
  setLanguage(l: Language): void;
  timeZone: string;
  setTimeZone(tz: string | null): void;
}
const LocaleContext = createContext<LocaleState | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [language, setLang] = useState<Language>(initialLanguage);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [timeZone, setZone] = useState<string>(browserZone);
  const state = useMemo<LocaleState>(
    () => ({
      language,
      setLanguage(l) {
        localStorage.setItem(STORAGE, l);
        document.documentElement.lang = l;
        setLang(l);
      },
      timeZone,
      setTimeZone: (tz) => setZone(tz ?? browserZone),
    }),
    [language, timeZone, browserZone],
  );
  document.documentElement.lang = language;
  return (
    <LocaleContext.Provider value={state}>
      <IntlProvider locale={language} messages={flat[language]} timeZone={timeZone} defaultLocale="en">
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): LocaleState {
  const s = useContext(LocaleContext);
  if (!s) throw new Error('LocaleProvider missing');
  return s;
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** `t('ns.key', values)`; keys are checked by the compiler against the English catalogue. */
export function useT(): Translate {
  const intl = useIntl();
  return (key, values) => intl.formatMessage({ id: key }, values);
}

/** `t` for a key made at run time (a status, an error code), with a fallback when it is unknown. */
export function useTranslateDynamic() {
  const intl = useIntl();
  return (key: string, fallback: string, values?: Record<string, string | number>) =>
    intl.messages[key] ? intl.formatMessage({ id: key }, values) : fallback;
}

/**
 * Kazakh dates written out by hand: browsers built without Kazakh locale data (Debian's chromium)
 * fall back to the root locale ("2026 M11 27"). The Kazakh order: 2026 ж. 27 қараша, 17:08.
 */
function kkDate(iso: string, timeZone: string, withTime: boolean): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year} ж. ${Number(parts.day)} ${KK_MONTHS[Number(parts.month) - 1]}`;
  return withTime ? `${date}, ${parts.hour}:${parts.minute}` : date;
}

export function useFormat() {
  const intl = useIntl();
  const kk = intl.locale === 'kk';
  const zone = intl.timeZone ?? 'UTC';
  return {
    dateTime: (iso: string | null | undefined) =>
      !iso ? '—' : kk ? kkDate(iso, zone, true) : intl.formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' }),
    /** A calendar date (YYYY-MM-DD) is the same day everywhere: formatted in UTC. */
    date: (ymd: string | null | undefined) => {
      if (!ymd) return '—';
      const iso = `${ymd.slice(0, 10)}T12:00:00Z`;
      return kk ? kkDate(iso, 'UTC', false) : intl.formatDate(iso, { dateStyle: 'long', timeZone: 'UTC' });
    },
    number: (n: number) => intl.formatNumber(n),
  };
}
