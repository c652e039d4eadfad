import { useTranslation } from 'react-i18next';

/** Every workspace shortcut, listed on the screen so nobody has to remember them. */
export function Shortcuts() {
  const { t } = useTranslation();
  const list: [string, string][] = [
    ['Alt+A', 'call.answered'],
    ['Alt+X', 'call.end'],
    ['Alt+S', 'call.save'],
    ['Alt+P', 'reg.addPerson'],
    ['Alt+G', 'reg.addGroup'],
    ['Alt+R', 'shortcut.realName'],
    ['Alt+J', 'reg.suggest'],
    ['Alt+1/2/3', 'reg.organizations'],
    ['Alt+C', 'reg.namedByOther'],
    ['Alt+W', 'who.orgType'],
    ['Alt+L', 'who.listeners'],
    ['Alt+H', 'handed.hotline'],
    ['Alt+V', 'handed.tool'],
    ['Alt+M', 'handed.materials'],
    ['Alt+U', 'followup.open'],
    ['Alt+O', 'outcome.label'],
    ['Alt+K', 'notes.label'],
    ['Alt+T', 'script.title'],
  ];
  return (
    <section className="card shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t('shortcut.title')}</h2>
      <dl>
        {list.map(([keys, label]) => (
          <div key={keys}>
            <dt>
              <kbd className="kbd">{keys}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
