import { type SyntheticEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { newClientId } from '../draft';
import { consoleLocaleOf } from '../locale';
import { checkPseudonym, checkRealName, pseudonymProblemMessages } from '../../../../src/shared/pseudonym';
import { type Cohort, CohortsField, type Province, ProvinceSelect } from './CohortsField';
import { ErrorText } from './ErrorText';

/** The channels a statement arrives by without a call. */
const CHANNELS = ['letter', 'email', 'service_point', 'fax'] as const;

interface Registered {
  receiptCode: string | null;
  publicName: string;
  sequence: number | null;
}

/**
 * Statements that came without a call: a letter, an e-mail, a visit to a service point or a fax.
 * The volunteer types what the person wrote; the statement is published at once (a volunteer
 * registered it) and the receipt code is shown, to send back to the person. A retried save (the
 * answer lost) registers nobody twice: the form carries a client id until it is saved.
 */
export function Received() {
  const { t, i18n } = useTranslation();
  const locale = consoleLocaleOf(i18n.language);
  const [provinces, setProvinces] = useState<Province[]>([]);
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('letter');
  const [region, setRegion] = useState('unknown');
  const [nameKind, setNameKind] = useState<'pseudonym' | 'real'>('pseudonym');
  const [name, setName] = useState('');
  const [cohorts, setCohorts] = useState<Cohort[]>([{ count: 1, organizations: ['party'] }]);
  const [text, setText] = useState('');
  const [clientId, setClientId] = useState(newClientId);
  const [problem, setProblem] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Registered | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ provinces: Province[] }>('GET', '/api/regions/provinces')
      .then((result) => {
        setProvinces(result.provinces);
      })
      .catch(setError);
  }, []);
  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    const check = nameKind === 'real' ? checkRealName(name) : checkPseudonym(name);
    if (!check.ok) {
      setProblem(pseudonymProblemMessages[check.reason][locale]);
      return;
    }
    setProblem('');
    setBusy(true);
    api<{ statements: Registered[] }>('POST', '/api/statements', {
      statements: [{ clientId, nameKind, name: check.normalized, cohorts, region, channel, text, provenance: { kind: 'volunteer', consent: 'personal' } }],
    })
      .then((result) => {
        setDone(result.statements[0] ?? null);
        setClientId(newClientId());
        setName('');
        setText('');
        setCohorts([{ count: 1, organizations: ['party'] }]);
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <section className="card wide">
      <h1>{t('received.title')}</h1>
      <p className="muted">{t('received.intro')}</p>
      {done && (
        <div className="saved" role="status" data-testid="received-saved">
          <p>{t('received.saved', { name: done.publicName, sequence: done.sequence ?? '—' })}</p>
          {done.receiptCode && (
            <p>
              {t('received.code')} <code className="receipt">{done.receiptCode}</code>
            </p>
          )}
        </div>
      )}
      <form onSubmit={save} className="received" data-testid="received-form">
        <div className="row wrap">
          <label>
            {t('received.channel')}
            <select
              value={channel}
              onChange={(e) => {
                setChannel(e.target.value as (typeof CHANNELS)[number]);
              }}
            >
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`moderation.channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <ProvinceSelect label={t('archive.province')} provinces={provinces} value={region} onChange={setRegion} />
        </div>
        <fieldset className="inline">
          <legend>{t('received.nameKind')}</legend>
          <label className="check">
            <input type="radio" name="nameKind" checked={nameKind === 'pseudonym'} onChange={() => { setNameKind('pseudonym'); }} />
            {t('reg.pseudonym')}
          </label>
          <label className="check">
            <input type="radio" name="nameKind" checked={nameKind === 'real'} onChange={() => { setNameKind('real'); }} />
            {t('reg.realName')}
          </label>
        </fieldset>
        <label>
          {nameKind === 'real' ? t('reg.realName') : t('reg.pseudonym')}
          <input required maxLength={100} value={name} onChange={(e) => { setName(e.target.value); }} data-testid="received-name" />
        </label>
        {problem && (
          <p className="error" role="alert" data-testid="received-problem">
            {problem}
          </p>
        )}
        <CohortsField cohorts={cohorts} onChange={setCohorts} />
        <label>
          {t('received.text')}
          <textarea rows={4} maxLength={2000} value={text} onChange={(e) => { setText(e.target.value); }} />
        </label>
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('received.save')}
        </button>
      </form>
    </section>
  );
}
