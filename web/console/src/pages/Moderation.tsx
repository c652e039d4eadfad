import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from './ErrorText';

/** Another statement under the same real name (found through the blind index, never by decrypting). */
interface PossibleDuplicate {
  id: string;
  status: string;
  sequence: number | null;
  publicName: string;
  createdAt: number;
}

interface PendingStatement {
  id: string;
  status: string;
  publicName: string;
  realName?: string | null;
  channel: string;
  text: string;
  counts: { people: number; party: number; league: number; pioneers: number };
  provenance: { kind: string; consent: string | null; relation: string | null };
  holdReason: string | null;
  createdAt: number;
  possibleDuplicates: PossibleDuplicate[];
}

type Outcome = { kind: 'published'; sequence: number | null } | { kind: 'rejected' } | { kind: 'duplicate' };

/** Only a published or pending statement can be the original (the server refuses the others). */
const canBeOriginal = (candidate: PossibleDuplicate) => candidate.status === 'published' || candidate.status === 'pending';

/** Dates as the registry counts them: China Standard Time. */
function formatDay(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'short', day: 'numeric' }).format(at);
}

/** The registry's moderation queue: publish, reject with a reason, or mark as a duplicate of another statement. */
export function Moderation() {
  const { t } = useTranslation();
  const [items, setItems] = useState<PendingStatement[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const load = useCallback(() => {
    api<{ statements: PendingStatement[] }>('GET', '/api/statements/moderation')
      .then((result) => {
        setItems(result.statements);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const decide = async (id: string, action: 'publish' | 'reject' | 'duplicate', body?: unknown) => {
    setError(null);
    setOutcome(null);
    try {
      const result = await api<{ sequence: number | null }>('POST', `/api/statements/${encodeURIComponent(id)}/${action}`, body);
      setOutcome(
        action === 'publish'
          ? { kind: 'published', sequence: result.sequence }
          : action === 'reject'
            ? { kind: 'rejected' }
            : { kind: 'duplicate' },
      );
      load();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section className="card wide">
      <h1>{t('nav.moderation')}</h1>
      <ErrorText error={error} />
      <p role="status" className="muted" data-testid="moderation-outcome">
        {outcome?.kind === 'published' && t('moderation.done.published', { sequence: outcome.sequence ?? '' })}
        {outcome?.kind === 'rejected' && t('moderation.done.rejected')}
        {outcome?.kind === 'duplicate' && t('moderation.done.duplicate')}
      </p>
      {items.length === 0 && <p className="muted">{t('moderation.empty')}</p>}
      <ul className="moderation">
        {items.map((s) => (
          <ModerationItem key={s.id} statement={s} onDecide={decide} />
        ))}
      </ul>
    </section>
  );
}

function ModerationItem({
  statement: s,
  onDecide,
}: {
  statement: PendingStatement;
  onDecide: (id: string, action: 'publish' | 'reject' | 'duplicate', body?: unknown) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState('');
  const [originalId, setOriginalId] = useState('');
  const orgs = (['party', 'league', 'pioneers'] as const)
    .filter((org) => s.counts[org] > 0)
    .map((org) => `${t(`org.${org}`)} ${s.counts[org]}`);
  const holdReasons = (s.holdReason ?? '').split(',').filter((r) => r !== '');
  const consent = s.provenance.consent === 'named_by_other' ? t('moderation.consent.named_by_other') : t('moderation.consent.personal');
  const relation = s.provenance.relation ? t(`relation.${s.provenance.relation}`, { defaultValue: s.provenance.relation }) : '';
  return (
    <li data-testid="moderation-item" data-statement-id={s.id}>
      <div className="moderation-head">
        <strong>{s.publicName}</strong>
        {s.realName && <span className="muted"> ({s.realName})</span>} · {t('reg.people', { count: s.counts.people })}
        {orgs.length > 0 && <span> ({orgs.join(', ')})</span>} · {t(`moderation.channel.${s.channel}`, { defaultValue: s.channel })} ·{' '}
        {t(`moderation.provenance.${s.provenance.kind}`, { defaultValue: s.provenance.kind })}
        {s.provenance.kind === 'volunteer' && (
          <span>
            {' '}
            ({consent}
            {relation && `: ${relation}`})
          </span>
        )}{' '}
        · <span className="muted">{t('moderation.received', { date: formatDay(s.createdAt, i18n.language) })}</span>
      </div>
      {s.status === 'held' && (
        <p className="error" data-testid="hold-reason">
          {t('moderation.held', {
            reasons: holdReasons
              .map((r) => t(`moderation.holdReason.${r}`, { defaultValue: r }))
              .join(i18n.language === 'en' ? ', ' : '、'),
          })}
        </p>
      )}
      {s.text && <q>{s.text}</q>}
      <div className="moderation-actions">
        <button type="button" className="small" onClick={() => void onDecide(s.id, 'publish')}>
          {t('moderation.publish')}
        </button>
        <label>
          {t('moderation.reason')}{' '}
          <input
            type="text"
            maxLength={500}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
            }}
          />
        </label>
        <button
          type="button"
          className="small"
          disabled={reason.trim() === ''}
          onClick={() => void onDecide(s.id, 'reject', { reason: reason.trim() })}
        >
          {t('moderation.reject')}
        </button>
      </div>
      {s.possibleDuplicates.length > 0 && (
        <fieldset className="moderation-duplicates">
          <legend>{t('moderation.duplicates', { count: s.possibleDuplicates.length })}</legend>
          {s.possibleDuplicates.map((d) => (
            <label key={d.id} className={canBeOriginal(d) ? 'check' : 'check muted'}>
              <input
                type="radio"
                name={`original-${s.id}`}
                value={d.id}
                disabled={!canBeOriginal(d)}
                checked={originalId === d.id}
                onChange={() => {
                  setOriginalId(d.id);
                }}
              />{' '}
              {d.publicName} · {d.sequence === null ? t('moderation.noSequence') : t('moderation.sequence', { sequence: d.sequence })} ·{' '}
              {t(`moderation.status.${d.status}`, { defaultValue: d.status })} · {formatDay(d.createdAt, i18n.language)}
              {!canBeOriginal(d) && ` (${t('moderation.notOriginal')})`}
            </label>
          ))}
          <button
            type="button"
            className="small"
            disabled={originalId === ''}
            onClick={() => void onDecide(s.id, 'duplicate', { ofId: originalId })}
          >
            {t('moderation.markDuplicate')}
          </button>
        </fieldset>
      )}
    </li>
  );
}
