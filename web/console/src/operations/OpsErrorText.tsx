import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { ErrorText } from '../pages/ErrorText';
import { windowOpensText } from './window-time';

/** Error codes of the operations area, translated in the operations namespace (`errors.CODE`). */
const OPERATIONS_CODES = ['OUTSIDE_CALLING_WINDOW', 'DO_NOT_CALL', 'CAMPAIGN_PAUSED', 'CSV_UNREADABLE'];

/**
 * An API error on an operations screen: the operations codes with their details (when the calling
 * window opens, which line of a CSV is broken), anything else as the console's ErrorText does.
 */
export function OpsErrorText({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation('operations');
  if (!(error instanceof ApiError) || !OPERATIONS_CODES.includes(error.code)) return <ErrorText error={error} />;
  const details = error.details ?? {};
  const values = {
    time: typeof details.windowOpensAt === 'number' ? windowOpensText(details.windowOpensAt, i18n.language, t) : '',
    line: typeof details.line === 'number' ? details.line : '',
    reason: typeof details.reason === 'string' ? t(`errors.csvReasons.${details.reason}`, { defaultValue: '' }) : '',
  };
  return (
    <p className="error" role="alert">
      {t(`errors.${error.code}`, values)}
    </p>
  );
}
