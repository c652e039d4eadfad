import { type SyntheticEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from './ErrorText';

interface Script {
  key: string;
  version: number;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

/** Coordinators edit the talking points; every save is a new version, in Chinese and English. */
export function Scripts() {
  const { t } = useTranslation();
  const [script, setScript] = useState<Script | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  useEffect(() => {
    api<{ scripts: Script[] }>('GET', '/api/call-scripts')
      .then((result) => {
        setScript(result.scripts[0] ?? null);
      })
      .catch(setError);
  }, []);
  if (!script) return <ErrorText error={error} />;
  const field = (name: 'titleZh' | 'titleEn' | 'bodyZh' | 'bodyEn', multiline: boolean) => (
    <label className="grow">
      {t(`scripts.${name}`)}
      {multiline ? (
        <textarea
          rows={8}
          maxLength={10000}
          value={script[name]}
          onChange={(e) => {
            setScript({ ...script, [name]: e.target.value });
          }}
        />
      ) : (
        <input
          maxLength={120}
          value={script[name]}
          onChange={(e) => {
            setScript({ ...script, [name]: e.target.value });
          }}
        />
      )}
    </label>
  );
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { version } = await api<{ version: number }>('PUT', `/api/call-scripts/${script.key}`, {
        titleZh: script.titleZh,
        titleEn: script.titleEn,
        bodyZh: script.bodyZh,
        bodyEn: script.bodyEn,
      });
      setScript({ ...script, version });
      setSavedVersion(version);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form className="card wide" onSubmit={(event) => void save(event)}>
      <h1>
        {t('nav.scripts')} <span className="muted small">v{script.version}</span>
      </h1>
      <p className="muted">{t('scripts.intro')}</p>
      <div className="row wrap">
        {field('titleZh', false)}
        {field('titleEn', false)}
      </div>
      <div className="row wrap">
        {field('bodyZh', true)}
        {field('bodyEn', true)}
      </div>
      <ErrorText error={error} />
      {savedVersion !== null && <p role="status">{t('scripts.saved', { version: savedVersion })}</p>}
      <button type="submit" className="primary">
        {t('scripts.save')}
      </button>
    </form>
  );
}
