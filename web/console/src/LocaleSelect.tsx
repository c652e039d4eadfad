import { useTranslation } from 'react-i18next';
import { CONSOLE_LOCALES, type ConsoleLocale, setLocale } from './i18n';

/** The console's language, by its own name; the choice applies at once (and is remembered by `setLocale`). */
export function LocaleSelect() {
  const { t, i18n } = useTranslation();
  return (
    <select
      value={i18n.language}
      onChange={(event) => {
        void setLocale(event.target.value as ConsoleLocale);
      }}
    >
      {CONSOLE_LOCALES.map((locale) => (
        <option key={locale} value={locale}>
          {t(`app.locale.${locale}`)}
        </option>
      ))}
    </select>
  );
}
