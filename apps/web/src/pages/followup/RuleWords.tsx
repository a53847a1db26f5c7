/** A recurrence rule in words in the user's language (recurrence.ts); the raw rule when it is not a common one. */
import { useFormat, useLocale, useTranslateDynamic } from '../../i18n';
import { describeRule } from './recurrence';

export function useRuleWords() {
  const { language } = useLocale();
  const td = useTranslateDynamic();
  const f = useFormat();
  return (rule: string) => describeRule(rule, language, (key, values) => td(key, key, values), f.date);
}

export function RuleWords({ rule }: { rule: string }) {
  const words = useRuleWords()(rule);
  return words ? (
    <span className="rule-words" title={rule} data-rrule={rule}>
      {words}
    </span>
  ) : (
    <code data-rrule={rule}>{rule}</code>
  );
}
