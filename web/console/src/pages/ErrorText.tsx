import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

/** An API error in the reader's language (by its code), announced to screen readers. */
export function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'INTERNAL';
  return (
    <p className="error" role="alert">
      {t(`errors.${code}`, { defaultValue: t('errors.generic') })}
    </p>
  );
}
