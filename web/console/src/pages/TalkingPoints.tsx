import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

/** One script version as /api/call-scripts returns it. */
export interface Script {
  id: string;
  key: string;
  version: number;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  createdAt: number;
}

/** The script version a call uses. */
export interface ChosenScript {
  key: string;
  version: number;
}

/**
 * The coordinators' talking points during a call, in Chinese and English (the reader's language
 * first; Traditional characters for zh-Hant, converted by the server). The volunteer picks a script
 * when there are several; the call records the one on screen and its version.
 */
export function TalkingPoints(props: { chosen: ChosenScript | undefined; onChoose: (script: ChosenScript) => void }) {
  const { t, i18n } = useTranslation();
  const [scripts, setScripts] = useState<Script[] | undefined>();
  const [showOther, setShowOther] = useState(false);
  const zh = i18n.language === 'zh-Hant' ? 'hant' : 'hans';
  const { chosen, onChoose } = props;
  useEffect(() => {
    api<{ scripts: Script[] }>('GET', `/api/call-scripts?zh=${zh}`)
      .then((result) => {
        setScripts(result.scripts);
      })
      .catch(() => {
        setScripts([]);
      });
  }, [zh]);
  const current = scripts?.find((s) => s.key === chosen?.key) ?? scripts?.[0];
  useEffect(() => {
    // Record the script and version on screen (the first one unless the volunteer picked another).
    if (current && (chosen?.key !== current.key || chosen.version !== current.version))
      onChoose({ key: current.key, version: current.version });
  }, [current, chosen?.key, chosen?.version, onChoose]);
  const chineseFirst = i18n.language !== 'en';
  const title = (s: Script) => (chineseFirst ? s.titleZh : s.titleEn);
  return (
    <section className="card script" id="talking-points" tabIndex={-1} aria-labelledby="script-title">
      <h2 id="script-title">{t('script.title')}</h2>
      {scripts === undefined && <p className="muted">{t('common.loading')}</p>}
      {scripts?.length === 0 && <p className="muted">{t('script.unavailable')}</p>}
      {scripts && scripts.length > 1 && (
        <label>
          <span className="visually-hidden">{t('script.choose')}</span>
          <select
            id="script-choice"
            value={current?.key}
            onChange={(e) => {
              const next = scripts.find((s) => s.key === e.target.value);
              if (next) onChoose({ key: next.key, version: next.version });
            }}
          >
            {scripts.map((s) => (
              <option key={s.key} value={s.key}>
                {title(s)}
              </option>
            ))}
          </select>
        </label>
      )}
      {current && (
        <article>
          <h3>
            {title(current)}{' '}
            <span className="muted small">
              {current.version === 0 ? t('script.builtIn') : t('script.version', { version: current.version })}
            </span>
          </h3>
          <p className="script-body">{chineseFirst ? current.bodyZh : current.bodyEn}</p>
          {showOther && <p className="script-body muted">{chineseFirst ? current.bodyEn : current.bodyZh}</p>}
        </article>
      )}
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
