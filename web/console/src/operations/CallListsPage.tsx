import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { DoNotCallSection } from './DoNotCallSection';
import { OpsErrorText } from './OpsErrorText';
import './operations.css';

interface Report {
  reportId: string;
  listId: string | null;
  committed: boolean;
  rows: number;
  accepted: number;
  refused: number;
  byProblem: Record<string, number>;
  problems: { line: number; problem: string; ref?: string }[];
  problemsTruncated: boolean;
}

function csrfFromCookie(): string {
  return /(?:^|;\s*)(?:__Host-)?hotline_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
}

/** Sends the file as the request body (streamed by the server into the import). */
async function sendCsv(url: string, file: File): Promise<Report> {
  const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'text/csv', 'x-csrf-token': csrfFromCookie() }, body: file });
  const data = (await response.json().catch(() => ({}))) as Report | { error?: { code?: string; details?: Record<string, unknown> } };
  if (!response.ok) {
    const error = 'error' in data ? data.error : undefined;
    throw new ApiError(error?.code ?? 'BAD_REQUEST', response.status, error?.details);
  }
  return data as Report;
}

/** Call lists for coordinators: check a CSV (per-row report, all refused rows downloadable), import it, see the lists; do-not-call. */
export function CallListsPage() {
  const { t, i18n } = useTranslation('operations');
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [lists, setLists] = useState<{ id: string; name: string; entryCount: number; createdAt: number }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api<{ lists: typeof lists }>('GET', '/api/operations/lists')
      .then((result) => { setLists(result.lists); })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const run = async (commit: boolean) => {
    if (!file || !name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setReport(await sendCsv(`/api/operations/lists/${commit ? 'import' : 'preview'}?name=${encodeURIComponent(name.trim())}`, file));
      if (commit) load();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card wide operations">
      <h1>{t('lists.title')}</h1>
      <OpsErrorText error={error} />
      <div className="row wrap">
        <label>
          {t('lists.file')}
          <input type="file" accept=".csv,text/csv" onChange={(event) => { setFile(event.target.files?.[0] ?? null); }} />
        </label>
        <label>
          {t('lists.name')}
          <input value={name} maxLength={120} onChange={(event) => { setName(event.target.value); }} />
        </label>
        <button type="button" disabled={busy || !file || !name.trim()} onClick={() => void run(false)}>
          {t('lists.preview')}
        </button>
        <button type="button" className="primary" disabled={busy || !file || !name.trim()} onClick={() => void run(true)}>
          {t('lists.import')}
        </button>
      </div>
      {report && (
        <div data-testid="import-report">
          <p role="status">
            {t('lists.rows', { rows: report.rows, accepted: report.accepted, refused: report.refused })} {report.committed ? t('lists.imported') : t('lists.nothingStored')}
          </p>
          <ul>
            {Object.entries(report.byProblem).map(([problem, count]) => (
              <li key={problem}>
                {t(`lists.problems.${problem}`)}: {count}
              </li>
            ))}
          </ul>
          {report.refused > 0 && (
            <p>
              <a href={`/api/operations/lists/reports/${encodeURIComponent(report.reportId)}/refused.csv`} download data-testid="full-report">
                {t('lists.downloadReport', { count: report.refused })}
              </a>
              {report.problemsTruncated && <span className="muted small"> {t('lists.firstShown', { count: report.problems.length })}</span>}
            </p>
          )}
          {report.problems.length > 0 && (
            <div className="table-wrap">
              <table className="list">
                <thead>
                  <tr>
                    <th scope="col">{t('lists.line')}</th>
                    <th scope="col">{t('lists.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.map((row) => (
                    <tr key={row.line}>
                      <td>{row.line}</td>
                      <td>
                        {t(`lists.problems.${row.problem}`)}
                        {row.ref ? ` (${row.problem === 'ALREADY_IN_LIST' ? (lists.find((list) => list.id === row.ref)?.name ?? row.ref) : row.ref})` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t('lists.name')}</th>
            <th scope="col">{t('lists.entries')}</th>
            <th scope="col">{t('lists.created')}</th>
          </tr>
        </thead>
        <tbody>
          {lists.map((list) => (
            <tr key={list.id}>
              <td>{list.name}</td>
              <td>{list.entryCount}</td>
              <td>{new Date(list.createdAt).toLocaleString(i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <DoNotCallSection />
    </section>
  );
}
