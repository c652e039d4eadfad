import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from './ErrorText';

interface PendingStatement {
  id: string;
  status: string;
  publicName: string;
  realName?: string | null;
  channel: string;
  text: string;
  counts: { people: number };
  holdReason: string | null;
  possibleDuplicates: { id: string; publicName: string }[];
}

/** The registry's moderation queue: publish or reject pending statements. */
export function Moderation() {
  const { t } = useTranslation();
  const [items, setItems] = useState<PendingStatement[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ statements?: PendingStatement[]; items?: PendingStatement[] }>('GET', '/api/statements/moderation')
      .then((result) => {
        setItems(result.statements ?? result.items ?? []);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const act = async (id: string, action: 'publish' | 'reject') => {
    const reason = action === 'reject' ? window.prompt(t('moderation.reason'))?.trim() : undefined;
    if (action === 'reject' && !reason) return;
    try {
      await api('POST', `/api/statements/${id}/${action}`, action === 'reject' ? { reason } : undefined);
      load();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section className="card wide">
      <h1>{t('nav.moderation')}</h1>
      <ErrorText error={error} />
      {items.length === 0 && <p className="muted">{t('moderation.empty')}</p>}
      <ul className="moderation">
        {items.map((s) => (
          <li key={s.id}>
            <strong>{s.publicName}</strong>
            {s.realName && <span className="muted">({s.realName})</span>} · {t('reg.people', { count: s.counts.people })} · {s.channel}
            {s.status === 'held' && <span className="error"> · {t('moderation.held')}</span>}
            {s.possibleDuplicates.length > 0 && <span className="muted"> · {t('moderation.duplicates', { count: s.possibleDuplicates.length })}</span>}
            {s.text && <q>{s.text}</q>}
            <span className="spacer" />
            <button type="button" className="small" onClick={() => void act(s.id, 'publish')}>
              {t('moderation.publish')}
            </button>
            <button type="button" className="small" onClick={() => void act(s.id, 'reject')}>
              {t('moderation.reject')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
