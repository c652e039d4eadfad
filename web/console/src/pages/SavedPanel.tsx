import { useTranslation } from 'react-i18next';
import { Kbd } from './Kbd';

import type { SaveCallOut } from '../../../../src/http/routes/calls';

/** What POST /api/calls answered (the server's type). */
export type SaveResult = SaveCallOut;

/** A saved call as the workspace shows it until the next call: the result and the names typed. */
export interface Saved {
  result: SaveResult;
  names: Record<string, string>;
}

/**
 * The receipt codes to read out, one per registration. A retried save shows the same codes (the
 * server keeps them encrypted for a day); "Next call" tells it they were read out.
 */
export function SavedPanel({ saved, onNext }: { saved: Saved; onNext: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="card saved" aria-labelledby="saved-title" data-testid="saved">
      <h1 id="saved-title">{t('saved.title')}</h1>
      {saved.result.registrations.length > 0 && <p>{t('saved.readOut')}</p>}
      <ul className="receipts">
        {saved.result.registrations.map((r) => (
          <li key={r.clientId}>
            <span>{saved.names[r.clientId]}</span> · {t('reg.people', { count: r.people })} ·{' '}
            {r.receiptCode ? <code className="receipt">{r.receiptCode}</code> : <span className="muted">{t('saved.codeGone')}</span>}
          </li>
        ))}
      </ul>
      <button id="btn-new-call" type="button" className="primary" onClick={onNext}>
        {saved.result.registrations.length > 0 ? t('saved.readAndNext') : t('saved.next')} <Kbd keys="Alt+N" />
      </button>
    </section>
  );
}
