import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { navigate } from '../hash-route';
import { ErrorText } from '../pages/ErrorText';
import type { Story } from '../../../../src/domain/reports/stories';
import './reports.css';

type Language = 'zh-Hans' | 'zh-Hant' | 'en';
const LANGUAGES: Language[] = ['zh-Hans', 'zh-Hant', 'en'];
const PUBLIC_PREFIX: Record<Language, string> = { 'zh-Hans': '', 'zh-Hant': '/zh-hant', en: '/en' };

/** A story as /api/stories answers. */
export type StoryView = Story;

/** Drafts a story from calls and opens it. */
export async function draftStoryFrom(callIds: string[]): Promise<void> {
  const story = await api<StoryView>('POST', '/api/stories', { callIds });
  navigate(`/stories/${story.id}`);
}

/** Coordinators' stories: the list, and the one being edited, approved and published. */
export function StoriesPage(props: { storyId?: string }) {
  const { t, i18n } = useTranslation('reports');
  const [stories, setStories] = useState<StoryView[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ stories: StoryView[] }>('GET', '/api/stories')
      .then((result) => {
        setStories(result.stories);
      })
      .catch(setError);
  }, [props.storyId]);
  if (props.storyId) return <StoryEditor id={props.storyId} />;
  const language = (LANGUAGES as string[]).includes(i18n.language) ? (i18n.language as Language) : 'en';
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="card wide stories-page">
      <h1>{t('stories')}</h1>
      <p className="muted">{t('storiesIntro')}</p>
      <ErrorText error={error} />
      {stories.length === 0 ? (
        <p className="muted">{t('noStories')}</p>
      ) : (
        <ul className="plain">
          {stories.map((story) => (
            <li key={story.id} data-testid="story-row">
              <a href={`#/stories/${story.id}`}>{story.content[language].title}</a> <span className="story-status">{t(`status.${story.status}`)}</span>{' '}
              <span className="muted small">{format.format(story.updatedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StoryEditor(props: { id: string }) {
  const { t, i18n } = useTranslation('reports');
  const [story, setStory] = useState<StoryView | null>(null);
  const [content, setContent] = useState<StoryView['content'] | null>(null);
  const [language, setLanguage] = useState<Language>(((LANGUAGES as string[]).includes(i18n.language) ? i18n.language : 'zh-Hans') as Language);
  const [keep, setKeep] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const show = useCallback((next: StoryView) => {
    setStory(next);
    setContent(next.content);
    setError(null);
  }, []);
  useEffect(() => {
    api<StoryView>('GET', `/api/stories/${props.id}`).then(show).catch(setError);
  }, [props.id, show]);
  if (!story || !content) return <ErrorText error={error} />;
  const dirty = JSON.stringify(content) !== JSON.stringify(story.content);
  const act = (method: string, path: string, body: unknown, done: string) => {
    setMessage('');
    api<StoryView>(method, path, body)
      .then((next) => {
        show(next);
        setMessage(done);
      })
      .catch(setError);
  };
  const text = content[language];
  return (
    <section className="card wide stories-page">
      <p>
        <a href="#/stories">{t('allStories')}</a>
      </p>
      <h1>{story.content[language].title}</h1>
      <p>
        <span className="story-status" data-testid="story-status">
          {t(`status.${story.status}`)}
        </span>{' '}
        <span className="muted small">{t('fromCalls', { count: story.callIds.length })}</span>
      </p>
      <div className="row wrap" role="tablist" aria-label={t('language')}>
        {LANGUAGES.map((l) => (
          <button key={l} type="button" role="tab" aria-selected={language === l} className={language === l ? 'primary' : 'secondary'} onClick={() => { setLanguage(l); }}>
            {t(`languages.${l}`)}
          </button>
        ))}
      </div>
      <label>
        {t('title')}
        <input id="story-title" value={text.title} maxLength={200} onChange={(e) => { setContent({ ...content, [language]: { ...text, title: e.target.value } }); }} />
      </label>
      <label>
        {t('body')}
        <textarea id="story-body" rows={14} value={text.body} maxLength={20000} onChange={(e) => { setContent({ ...content, [language]: { ...text, body: e.target.value } }); }} />
      </label>
      {story.findings.length > 0 ? (
        <div className="findings" role="alert" data-testid="story-findings">
          <p>{t('findingsIntro')}</p>
          <ul className="plain">
            {story.findings.map((finding) => (
              <li key={`${finding.kind}-${finding.text}`}>
                <label className="row">
                  <input
                    type="checkbox"
                    checked={keep.has(finding.text)}
                    onChange={(e) => {
                      const next = new Set(keep);
                      if (e.target.checked) next.add(finding.text);
                      else next.delete(finding.text);
                      setKeep(next);
                    }}
                  />
                  {t(`finding.${finding.kind}`)}: <strong>{finding.text}</strong> ({t(`languages.${finding.locale}`)})
                </label>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted" data-testid="story-clean">
          {t('noFindings')}
        </p>
      )}
      <ErrorText error={error} />
      {message && (
        <p role="status" className="ok">
          {message}
        </p>
      )}
      <div className="row wrap">
        <button type="button" className="primary" disabled={!dirty || story.status === 'published'} onClick={() => { act('PUT', `/api/stories/${story.id}`, { content }, t('saved')); }}>
          {t('save')}
        </button>
        <button type="button" disabled={dirty || (story.status !== 'draft' && story.status !== 'withdrawn')} onClick={() => { act('POST', `/api/stories/${story.id}/approve`, undefined, t('approved')); }}>
          {t('approve')}
        </button>
        <button type="button" disabled={dirty || story.status !== 'approved'} onClick={() => { act('POST', `/api/stories/${story.id}/publish`, { keep: [...keep] }, t('publishedMessage')); }}>
          {t('publish')}
        </button>
        {story.status === 'published' && (
          <>
            <button type="button" className="secondary" onClick={() => { act('POST', `/api/stories/${story.id}/withdraw`, undefined, t('withdrawn')); }}>
              {t('withdraw')}
            </button>
            <a href={`${PUBLIC_PREFIX[language]}/stories/${story.id}`} target="_blank" rel="noreferrer">
              {t('viewPublic')}
            </a>
          </>
        )}
      </div>
    </section>
  );
}
