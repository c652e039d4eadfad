import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { minuteOf } from './campaign-types';
import { OpsErrorText } from './OpsErrorText';

interface Script {
  id: string;
  titleZh: string;
  titleEn: string;
}

const EMPTY = { name: '', listIds: [] as string[], scriptId: '', windowStart: '08:00', windowEnd: '21:00', maxAttempts: 3, retrySpacingMinutes: 240, priority: 50 };

/**
 * A coordinator's new-campaign form with every field: the lists to call (several), the script, the
 * calling window in China time, attempts per number and the spacing between them, and priority
 * (higher-priority campaigns' numbers are handed out first by "Get the next numbers").
 */
export function CampaignForm(props: { lists: { id: string; name: string; entryCount: number }[]; onCreated(): void }) {
  const { t, i18n } = useTranslation('operations');
  const [draft, setDraft] = useState(EMPTY);
  const [scripts, setScripts] = useState<Script[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    api<{ scripts: Script[] }>('GET', '/api/call-scripts')
      .then((result) => { setScripts(result.scripts); })
      .catch(setError);
  }, []);
  const start = minuteOf(draft.windowStart);
  const end = minuteOf(draft.windowEnd);
  const isWindowValid = Number.isFinite(start) && Number.isFinite(end) && start < end;
  const canSubmit = draft.name.trim() !== '' && draft.listIds.length > 0 && isWindowValid;
  const toggleList = (id: string) => {
    setDraft({ ...draft, listIds: draft.listIds.includes(id) ? draft.listIds.filter((listId) => listId !== id) : [...draft.listIds, id] });
  };
  const submit = (event: React.SyntheticEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    setError(null);
    api<{ id: string; tasks: number }>('POST', '/api/operations/campaigns', {
      name: draft.name.trim(),
      listIds: draft.listIds,
      scriptId: draft.scriptId === '' ? null : draft.scriptId,
      windowStartMinute: start,
      windowEndMinute: end,
      maxAttempts: draft.maxAttempts,
      retrySpacingMinutes: draft.retrySpacingMinutes,
      priority: draft.priority,
    })
      .then((result) => {
        setNotice(t('campaigns.created', { count: result.tasks }));
        setDraft(EMPTY);
        props.onCreated();
      })
      .catch(setError);
  };
  const title = (script: Script) => (i18n.language.startsWith('zh') ? script.titleZh : script.titleEn) || script.titleZh;
  return (
    <form className="campaign-form" onSubmit={submit} aria-labelledby="campaign-form-title">
      <h2 id="campaign-form-title">{t('campaigns.create')}</h2>
      <OpsErrorText error={error} />
      {notice && <p role="status">{notice}</p>}
      <label>
        {t('campaigns.name')}
        <input value={draft.name} maxLength={120} required onChange={(event) => { setDraft({ ...draft, name: event.target.value }); }} />
      </label>
      <fieldset>
        <legend>{t('campaigns.lists')}</legend>
        {props.lists.length === 0 && <p className="muted small">{t('campaigns.noLists')}</p>}
        {props.lists.map((list) => (
          <label key={list.id} className="check">
            <input type="checkbox" checked={draft.listIds.includes(list.id)} onChange={() => { toggleList(list.id); }} />
            {t('campaigns.listOption', { name: list.name, count: list.entryCount })}
          </label>
        ))}
      </fieldset>
      <label>
        {t('campaigns.script')}
        <select value={draft.scriptId} onChange={(event) => { setDraft({ ...draft, scriptId: event.target.value }); }}>
          <option value="">{t('campaigns.noScript')}</option>
          {scripts.map((script) => (
            <option key={script.id} value={script.id}>
              {title(script)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('campaigns.window')}</legend>
        <label>
          {t('campaigns.windowStart')}
          <input type="time" value={draft.windowStart} required onChange={(event) => { setDraft({ ...draft, windowStart: event.target.value }); }} />
        </label>
        <label>
          {t('campaigns.windowEnd')}
          <input type="time" value={draft.windowEnd} required onChange={(event) => { setDraft({ ...draft, windowEnd: event.target.value }); }} />
        </label>
        {!isWindowValid && <p className="error small">{t('campaigns.windowInvalid')}</p>}
        <p className="muted small">{t('campaigns.windowHelp')}</p>
      </fieldset>
      <label>
        {t('campaigns.attempts')}
        <input type="number" min={1} max={20} value={draft.maxAttempts} onChange={(event) => { setDraft({ ...draft, maxAttempts: Number(event.target.value) }); }} />
      </label>
      <label>
        {t('campaigns.spacing')}
        <input type="number" min={0} max={20160} value={draft.retrySpacingMinutes} onChange={(event) => { setDraft({ ...draft, retrySpacingMinutes: Number(event.target.value) }); }} />
      </label>
      <label>
        {t('campaigns.priority')}
        <input type="number" min={0} max={100} value={draft.priority} onChange={(event) => { setDraft({ ...draft, priority: Number(event.target.value) }); }} />
      </label>
      <p className="muted small">{t('campaigns.priorityHelp')}</p>
      <button type="submit" className="primary" disabled={!canSubmit}>
        {t('campaigns.create')}
      </button>
    </form>
  );
}
