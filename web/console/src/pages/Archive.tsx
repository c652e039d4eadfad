import { type SyntheticEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { consoleLocaleOf } from '../locale';
import { type Cohort, CohortsField, type Province, ProvinceSelect } from './CohortsField';
import { ErrorText } from './ErrorText';

import type { PresentedStatement } from '../../../../src/http/presenters/statement.presenter';
import { ERASED_NAME } from '../../../../src/shared/erased';
import { CHANNELS } from '../../../../src/shared/schemas/values';


const STATUSES = ['published', 'pending', 'held', 'rejected', 'duplicate', 'withdrawn'] as const;

interface Search {
  receiptCode: string;
  day: string;
  province: string;
  status: string;
  channel: string;
}
const EMPTY: Search = { receiptCode: '', day: '', province: '', status: '', channel: '' };

/**
 * The statement archive for coordinators and admins: find statements by receipt code (as the
 * person reads it out), day received in China time, province, status and channel; correct a
 * statement's counts, region or name with a reason (the counters and the public statement follow;
 * the audit log keeps who, when and why).
 */
export function Archive({ isAdmin = false }: { isAdmin?: boolean }) {
  const { t, i18n } = useTranslation();
  const [erasing, setErasing] = useState<string | null>(null);
  const [shredVersion, setShredVersion] = useState(0);
  const locale = consoleLocaleOf(i18n.language);
  const [search, setSearch] = useState<Search>(EMPTY);
  const [results, setResults] = useState<PresentedStatement[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [provinces, setProvinces] = useState<Province[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    api<{ provinces: Province[] }>('GET', '/api/regions/provinces')
      .then((result) => {
        setProvinces(result.provinces);
      })
      .catch(setError);
  }, []);
  const provinceName = (code: string) =>
    code === 'abroad' ? t('archive.abroad') : code === 'unknown' ? t('archive.unknownRegion') : (provinces.find((p) => p.code === code)?.name[locale] ?? code);

  const run = (cursor?: string) => {
    setError(null);
    const query = new URLSearchParams();
    for (const key of Object.keys(EMPTY) as (keyof Search)[]) if (search[key].trim() !== '') query.set(key, search[key].trim());
    if (cursor) query.set('cursor', cursor);
    api<{ statements: PresentedStatement[]; next?: string }>('GET', `/api/statements?${query.toString()}`)
      .then((result) => {
        setResults((earlier) => (cursor ? [...(earlier ?? []), ...result.statements] : result.statements));
        setNext(result.next);
      })
      .catch(setError);
  };
  // The latest statements at first; the search form narrows them.
  useEffect(() => {
    run();
  }, []);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setNotice('');
    setEditing(null);
    run();
  };
  const field = (key: keyof Search) => ({
    value: search[key],
    onChange: (event: { target: { value: string } }) => {
      setSearch({ ...search, [key]: event.target.value });
    },
  });
  return (
    <section className="card wide archive">
      <h1>{t('archive.title')}</h1>
      <form className="row wrap" onSubmit={submit} data-testid="archive-search">
        <label>
          {t('archive.receiptCode')}
          <input {...field('receiptCode')} maxLength={32} autoComplete="off" />
        </label>
        <label>
          {t('archive.day')}
          <input type="date" {...field('day')} />
        </label>
        <ProvinceSelect
          label={t('archive.province')}
          provinces={provinces}
          value={search.province}
          emptyLabel={t('archive.any')}
          onChange={(province) => {
            setSearch({ ...search, province });
          }}
        />
        <label>
          {t('volunteers.status')}
          <select {...field('status')}>
            <option value="">{t('archive.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`moderation.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('archive.channel')}
          <select {...field('channel')}>
            <option value="">{t('archive.any')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`moderation.channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('archive.search')}
        </button>
      </form>
      <p className="muted small">{t('archive.dayHelp')}</p>
      <ErrorText error={error} />
      {notice && (
        <p role="status" data-testid="archive-notice">
          {notice}
        </p>
      )}
      {results === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : results.length === 0 ? (
        <p className="muted">{t('archive.none')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="archive-results">
            <thead>
              <tr>
                <th scope="col">{t('archive.number')}</th>
                <th scope="col">{t('archive.received')}</th>
                <th scope="col">{t('archive.name')}</th>
                <th scope="col">{t('archive.province')}</th>
                <th scope="col">{t('archive.counts')}</th>
                <th scope="col">{t('archive.channel')}</th>
                <th scope="col">{t('volunteers.status')}</th>
                <th scope="col">{t('volunteers.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((s) => (
                <ArchiveRow
                  key={s.id}
                  statement={s}
                  provinceName={provinceName}
                  isEditing={editing === s.id}
                  onEdit={() => {
                    setNotice('');
                    setErasing(null);
                    setEditing(editing === s.id ? null : s.id);
                  }}
                  canErase={isAdmin}
                  isErasing={erasing === s.id}
                  onErase={() => {
                    setNotice('');
                    setEditing(null);
                    setErasing(erasing === s.id ? null : s.id);
                  }}
                  onErased={(counted) => {
                    setErasing(null);
                    setNotice(t(counted ? 'archive.erasedCounted' : 'archive.erasedWithdrawn'));
                    setShredVersion((v) => v + 1);
                    run();
                  }}
                  provinces={provinces}
                  onCorrected={() => {
                    setEditing(null);
                    setNotice(t('archive.corrected'));
                    run();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button
          type="button"
          onClick={() => {
            run(next);
          }}
        >
          {t('archive.more')}
        </button>
      )}
      {isAdmin && <Shredding key={shredVersion} />}
    </section>
  );
}

function ArchiveRow(props: {
  statement: PresentedStatement;
  provinceName: (code: string) => string;
  isEditing: boolean;
  onEdit: () => void;
  provinces: Province[];
  onCorrected: () => void;
  canErase: boolean;
  isErasing: boolean;
  onErase: () => void;
  onErased: (counted: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const s = props.statement;
  const erased = s.publicName === ERASED_NAME && !s.hasRealName && s.text === '';
  const correctable = (s.status === 'published' || s.status === 'pending') && !erased;
  return (
    <>
      <tr data-testid="archive-row">
        <td>{s.sequence ?? '—'}</td>
        <td>{new Date(s.createdAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' })}</td>
        <td>{s.publicName}</td>
        <td>{props.provinceName(s.provinceCode)}</td>
        <td data-testid="archive-counts">
          {t('archive.countsText', { people: s.counts.people, party: s.counts.party, league: s.counts.league, pioneers: s.counts.pioneers })}
        </td>
        <td>{t(`moderation.channel.${s.channel}`)}</td>
        <td>
          {t(`moderation.status.${s.status}`)}
          {s.correctedAt !== null && (
            <>
              {' '}
              <span className="badge" data-testid="corrected-badge">
                {t('archive.correctedBadge')}
              </span>
            </>
          )}
        </td>
        <td>
          <span className="staff-actions">
            {correctable && (
              <button type="button" className="small" onClick={props.onEdit} aria-expanded={props.isEditing}>
                {t('archive.correct')}
              </button>
            )}
            {props.canErase && !erased && (
              <button type="button" className="small danger" onClick={props.onErase} aria-expanded={props.isErasing} data-testid="erase-statement">
                {t('archive.erase')}
              </button>
            )}
            {erased && <span className="badge">{t('archive.erasedBadge')}</span>}
          </span>
        </td>
      </tr>
      {props.isErasing && (
        <tr className="correction-row">
          <td colSpan={8}>
            <EraseForm statement={s} onDone={props.onErased} />
          </td>
        </tr>
      )}
      {props.isEditing && (
        <tr className="correction-row">
          <td colSpan={8}>
            <CorrectionForm statement={s} provinces={props.provinces} onDone={props.onCorrected} />
          </td>
        </tr>
      )}
    </>
  );
}

/** The counts per cohort, the province and the name, with the reason for the change. */
function CorrectionForm(props: { statement: PresentedStatement; provinces: Province[]; onDone: () => void }) {
  const { t } = useTranslation();
  const s = props.statement;
  const [cohorts, setCohorts] = useState<Cohort[]>(s.cohorts as Cohort[]);
  const provinceOfRegion = s.provinceCode;
  const [province, setProvince] = useState(provinceOfRegion);
  const [name, setName] = useState(s.nameKind === 'real' ? '' : s.publicName);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    const changedCohorts = JSON.stringify(cohorts) !== JSON.stringify(s.cohorts);
    const changedName = name.trim() !== '' && name.trim() !== s.publicName;
    api('POST', `/api/statements/${s.id}/correction`, {
      reason,
      ...(changedCohorts ? { cohorts } : {}),
      ...(province !== provinceOfRegion ? { region: province } : {}),
      ...(changedName ? { name: name.trim() } : {}),
    })
      .then(props.onDone)
      .catch(setError);
  };
  return (
    <form className="correction" onSubmit={save} data-testid="correction-form">
      <CohortsField cohorts={cohorts} onChange={setCohorts} />
      <div className="row wrap">
        <ProvinceSelect label={t('archive.province')} provinces={props.provinces} value={province} onChange={setProvince} />
        <label className="grow">
          {s.nameKind === 'real' ? t('archive.realName') : t('reg.pseudonym')}
          <input
            value={name}
            maxLength={100}
            placeholder={s.nameKind === 'real' ? s.publicName : undefined}
            onChange={(e) => {
              setName(e.target.value);
            }}
          />
        </label>
      </div>
      {s.nameKind === 'real' && <p className="muted small">{t('archive.realNameHelp')}</p>}
      <label>
        {t('archive.reason')}
        <textarea
          required
          rows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
          }}
        />
      </label>
      <ErrorText error={error} />
      <div className="row wrap">
        <button type="submit" className="primary">
          {t('archive.saveCorrection')}
        </button>
      </div>
      <p className="muted small">{t('archive.correctionHelp')}</p>
    </form>
  );
}

/** Erasing a statement at the person's request: it stays counted without name or text, or is withdrawn. */
function EraseForm(props: { statement: PresentedStatement; onDone: (counted: boolean) => void }) {
  const { t } = useTranslation();
  const [keepCounted, setKeepCounted] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const erase = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!window.confirm(t('archive.eraseConfirm'))) return;
    setError(null);
    api<{ counted: boolean }>('POST', `/api/statements/${props.statement.id}/erase`, { keepCounted })
      .then((result) => {
        props.onDone(result.counted);
      })
      .catch(setError);
  };
  return (
    <form className="correction" onSubmit={erase} data-testid="erase-form">
      <p>{t('archive.eraseHelp')}</p>
      <fieldset>
        <legend>{t('archive.eraseChoice')}</legend>
        <label className="check">
          <input
            type="radio"
            name="erase-choice"
            checked={keepCounted}
            onChange={() => {
              setKeepCounted(true);
            }}
          />{' '}
          {t('archive.eraseKeep')}
        </label>
        <label className="check">
          <input
            type="radio"
            name="erase-choice"
            checked={!keepCounted}
            onChange={() => {
              setKeepCounted(false);
            }}
          />{' '}
          {t('archive.eraseWithdraw')}
        </label>
      </fieldset>
      <ErrorText error={error} />
      <button type="submit" className="danger">
        {t('archive.eraseNow')}
      </button>
    </form>
  );
}

interface ShreddingRecord {
  erasures: { statementId: string; sequence: number | null; status: string; counted: boolean; erasedAt: number; erasedBy: string | null }[];
  retentionRuns: { at: number; notes: number; followups: number; retentionDays: number }[];
  notesRetentionDays: number;
}

/** What was shredded and when: statements erased at a person's request, and the retention runs. */
function Shredding() {
  const { t, i18n } = useTranslation();
  const [record, setRecord] = useState<ShreddingRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<ShreddingRecord>('GET', '/api/erasures').then(setRecord).catch(setError);
  }, []);
  const time = (ms: number) => new Date(ms).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section data-testid="shredding">
      <h2>{t('archive.shreddingTitle')}</h2>
      <ErrorText error={error} />
      {record && (
        <>
          <p className="muted small">{t('archive.retentionHelp', { days: record.notesRetentionDays })}</p>
          <h3>{t('archive.erasures')}</h3>
          {record.erasures.length === 0 ? (
            <p className="muted">{t('archive.erasuresNone')}</p>
          ) : (
            <ul data-testid="erasures">
              {record.erasures.map((e) => (
                <li key={e.statementId}>
                  {time(e.erasedAt)} · {e.sequence === null ? t('archive.unnumbered') : t('archive.numbered', { n: e.sequence })} ·{' '}
                  {t(e.counted ? 'archive.stillCounted' : 'archive.withdrawnFromCounts')}
                </li>
              ))}
            </ul>
          )}
          <h3>{t('archive.retentionRuns')}</h3>
          {record.retentionRuns.length === 0 ? (
            <p className="muted">{t('archive.retentionRunsNone')}</p>
          ) : (
            <ul data-testid="retention-runs">
              {record.retentionRuns.map((run) => (
                <li key={run.at}>
                  {time(run.at)} · {t('archive.retentionRun', { notes: run.notes, followups: run.followups, days: run.retentionDays })}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
