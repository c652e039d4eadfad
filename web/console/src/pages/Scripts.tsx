import { type SyntheticEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from './ErrorText';
import type { Script } from './TalkingPoints';

type Fields = Pick<Script, 'titleZh' | 'titleEn' | 'bodyZh' | 'bodyEn'>;
const EMPTY: Fields = { titleZh: '', titleEn: '', bodyZh: '', bodyEn: '' };

/** A script key from its English title ("Closing words" -> "closing-words"), as the API wants keys. */
export function keyFromTitle(title: string): string {
  const key = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return key === '' ? `script-${Date.now().toString(36)}` : key;
}

/**
 * Coordinators' talking points: choose a script or start a new one, edit it in Chinese and English
 * (every save is a new version), see its earlier versions and restore one. Calls keep the version
 * they used.
 */
export function Scripts() {
  const { t, i18n } = useTranslation();
  const [scripts, setScripts] = useState<Script[]>([]);
  const [key, setKey] = useState<string | null>(null);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [versions, setVersions] = useState<Script[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const isNew = key === null;
  /** Set once the coordinator picks a script or starts a new one: the first load must not undo that. */
  const hasChosen = useRef(false);
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  const load = useCallback(async (select?: string) => {
    try {
      const result = await api<{ scripts: Script[] }>('GET', '/api/call-scripts');
      setScripts(result.scripts);
      if (select === undefined && hasChosen.current) return;
      const chosen = result.scripts.find((s) => s.key === select) ?? result.scripts[0];
      if (chosen) {
        setKey(chosen.key);
        setFields({ titleZh: chosen.titleZh, titleEn: chosen.titleEn, bodyZh: chosen.bodyZh, bodyEn: chosen.bodyEn });
        setVersions((await api<{ versions: Script[] }>('GET', `/api/call-scripts/${chosen.key}/versions`)).versions);
      }
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    setStatus(null);
    const target = key ?? keyFromTitle(fields.titleEn);
    try {
      const { version } = await api<{ version: number }>('PUT', `/api/call-scripts/${target}`, fields);
      await load(target);
      setStatus(t('scripts.saved', { version }));
    } catch (caught) {
      setError(caught);
    }
  };

  const restore = async (version: number) => {
    if (key === null) return;
    setError(null);
    try {
      const result = await api<{ version: number }>('POST', `/api/call-scripts/${key}/versions/${version}/restore`);
      await load(key);
      setStatus(t('scripts.restored', { from: version, version: result.version }));
    } catch (caught) {
      setError(caught);
    }
  };

  const field = (name: keyof Fields, multiline: boolean) => (
    <label className="grow">
      {t(`scripts.${name}`)}
      {multiline ? (
        <textarea
          id={`script-${name}`}
          rows={8}
          required
          maxLength={10000}
          value={fields[name]}
          onChange={(e) => {
            setFields({ ...fields, [name]: e.target.value });
          }}
        />
      ) : (
        <input
          id={`script-${name}`}
          required
          maxLength={120}
          value={fields[name]}
          onChange={(e) => {
            setFields({ ...fields, [name]: e.target.value });
          }}
        />
      )}
    </label>
  );
  const current = scripts.find((s) => s.key === key);
  // Titles and previews in the reader's language; both languages are edited below.
  const isEnglish = i18n.language === 'en';
  const titleOf = (s: Script) => (isEnglish ? s.titleEn : s.titleZh);

  return (
    <section className="card wide">
      <h1>{t('nav.scripts')}</h1>
      <p className="muted">{t('scripts.intro')}</p>
      <div className="row wrap">
        <label>
          {t('scripts.choose')}
          <select
            id="script-key"
            value={key ?? ''}
            onChange={(e) => {
              hasChosen.current = true;
              void load(e.target.value);
            }}
          >
            {isNew && <option value="">{t('scripts.newScript')}</option>}
            {scripts.map((s) => (
              <option key={s.key} value={s.key}>
                {titleOf(s)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            hasChosen.current = true;
            setKey(null);
            setFields(EMPTY);
            setVersions([]);
            setStatus(null);
          }}
        >
          {t('scripts.new')}
        </button>
      </div>
      <form className="editor" aria-label={isNew ? t('scripts.newScript') : t('scripts.editing')} onSubmit={(event) => void save(event)}>
        <h2>
          {isNew || !current ? t('scripts.newScript') : titleOf(current)}{' '}
          {current && <span className="muted small">{t('script.version', { version: current.version })}</span>}
        </h2>
        <div className="row wrap">
          {field('titleZh', false)}
          {field('titleEn', false)}
        </div>
        <div className="row wrap">
          {field('bodyZh', true)}
          {field('bodyEn', true)}
        </div>
        <ErrorText error={error} />
        {status !== null && <p role="status">{status}</p>}
        <button type="submit" className="primary">
          {isNew ? t('scripts.create') : t('scripts.save')}
        </button>
      </form>
      {versions.length > 0 && (
        <section aria-labelledby="versions-title">
          <h2 id="versions-title">{t('scripts.history')}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('scripts.versionColumn')}</th>
                  <th scope="col">{t('scripts.savedAt')}</th>
                  <th scope="col">{isEnglish ? t('scripts.titleEn') : t('scripts.titleZh')}</th>
                  <th scope="col">{isEnglish ? t('scripts.bodyEn') : t('scripts.bodyZh')}</th>
                  <th scope="col">{t('calls.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version} data-testid="script-version">
                    <td>v{v.version}</td>
                    <td>{v.createdAt === 0 ? t('scripts.builtIn') : time.format(v.createdAt)}</td>
                    <td>{titleOf(v)}</td>
                    <td className="notes-cell">{isEnglish ? v.bodyEn : v.bodyZh}</td>
                    <td>
                      {v.version === current?.version ? (
                        <span className="muted">{t('scripts.current')}</span>
                      ) : (
                        <button type="button" className="small" onClick={() => void restore(v.version)}>
                          {t('scripts.restore')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </section>
  );
}
