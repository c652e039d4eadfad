import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

interface Script {
  id: string;
  key: string;
  version: number;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

/** The coordinators' talking points, in Chinese and English (the reader's language first). */
export function TalkingPoints() {
  const { t, i18n } = useTranslation();
  const [scripts, setScripts] = useState<Script[]>([]);
  const [showOther, setShowOther] = useState(false);
  useEffect(() => {
    api<{ scripts: Script[] }>('GET', '/api/call-scripts')
      .then((result) => {
        setScripts(result.scripts);
      })
      .catch(() => undefined);
  }, []);
  const chineseFirst = i18n.language !== 'en';
  return (
    <section className="card script" id="talking-points" tabIndex={-1} aria-labelledby="script-title">
      <h2 id="script-title">{t('script.title')}</h2>
      {scripts.length === 0 && <p className="muted">{t('common.loading')}</p>}
      {scripts.map((s) => (
        <article key={s.id}>
          <h3>
            {chineseFirst ? s.titleZh : s.titleEn} <span className="muted small">v{s.version}</span>
          </h3>
          <p className="script-body">{chineseFirst ? s.bodyZh : s.bodyEn}</p>
          {showOther && <p className="script-body muted">{chineseFirst ? s.bodyEn : s.bodyZh}</p>}
        </article>
      ))}
      <button
        type="button"
        className="link"
        onClick={() => {
          setShowOther(!showOther);
        }}
      >
        {showOther ? t('script.hideOther') : t('script.showOther')}
      </button>
    </section>
  );
}
