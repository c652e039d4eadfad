import { useTranslation } from 'react-i18next';
import { RELATIONS } from '../../../../src/shared/schemas/values';
import type { Organization } from '../../../../src/shared/schemas/statements';
import { peopleOf, type RegistrationDraft } from '../draft';
import { Kbd } from './Kbd';
import { pseudonymProblemMessages, type PseudonymProblem } from '../../../../src/shared/pseudonym';
import { consoleLocaleOf } from '../locale';

const ORGS: Organization[] = ['party', 'league', 'pioneers'];
const COUNT_FIELDS = ['party', 'leaguePioneers', 'league', 'pioneers'] as const;

/** The form for one person or one group, typed during the call; Enter adds it, Escape cancels. */
export function RegistrationEditor(props: {
  value: RegistrationDraft;
  problem: string | undefined;
  onChange: (next: RegistrationDraft) => void;
  onAdd: () => void;
  onCancel: () => void;
  onSuggest: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { value, onChange } = props;
  const isGroup = value.kind === 'group';
  return (
    <form
      className="editor"
      aria-label={isGroup ? t('reg.groupTitle') : t('reg.personTitle')}
      onSubmit={(event) => {
        event.preventDefault();
        // Inside the My calls correction form, adding a person must not also save the correction.
        event.stopPropagation();
        props.onAdd();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onCancel();
      }}
    >
      <h3>{isGroup ? t('reg.groupTitle') : t('reg.personTitle')}</h3>
      <div className="row">
        <label className="grow">
          {value.nameKind === 'real' ? t('reg.realName') : t('reg.pseudonym')}
          <input
            id="reg-name"
            autoFocus
            required
            maxLength={100}
            value={value.name}
            onFocus={(e) => {
              e.target.select();
            }}
            onChange={(e) => {
              onChange({ ...value, name: e.target.value });
            }}
          />
        </label>
        {isGroup &&
          COUNT_FIELDS.map((field) => (
            <label key={field} className="count">
              {t(`reg.count.${field}`)}
              <input
                id={`reg-count-${field}`}
                inputMode="numeric"
                value={value.counts[field] === 0 ? '' : String(value.counts[field])}
                onChange={(e) => {
                  const n = Number.parseInt(e.target.value.replace(/\D/g, '').slice(0, 5), 10);
                  onChange({ ...value, counts: { ...value.counts, [field]: Number.isFinite(n) ? n : 0 } });
                }}
              />
            </label>
          ))}
      </div>
      <div className="row wrap">
        <fieldset className="inline">
          <legend>{t('reg.nameKind')}</legend>
          {(['pseudonym', 'real'] as const).map((kind) => (
            <label key={kind} className="check">
              <input
                type="radio"
                name="name-kind"
                checked={value.nameKind === kind}
                onChange={() => {
                  onChange({ ...value, nameKind: kind, name: kind === 'real' ? '' : value.name });
                }}
              />
              {t(`reg.kind.${kind}`)}
            </label>
          ))}
          <Kbd keys="Alt+R" />
          <button type="button" className="small" onClick={props.onSuggest}>
            {t('reg.suggest')} <Kbd keys="Alt+J" />
          </button>
        </fieldset>
        {!isGroup && (
          <fieldset className="inline">
            <legend>{t('reg.organizations')}</legend>
            {ORGS.map((org, index) => (
              <label key={org} className="check">
                <input
                  type="checkbox"
                  checked={value.organizations.includes(org)}
                  onChange={(e) => {
                    onChange({
                      ...value,
                      organizations: e.target.checked ? [...value.organizations, org] : value.organizations.filter((o) => o !== org),
                    });
                  }}
                />
                {t(`org.${org}`)} <Kbd keys={`Alt+${index + 1}`} />
              </label>
            ))}
          </fieldset>
        )}
        <fieldset className="inline">
          <legend>{t('reg.consent')}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={value.consent === 'named_by_other'}
              onChange={(e) => {
                onChange({
                  ...value,
                  consent: e.target.checked ? 'named_by_other' : 'personal',
                  relation: e.target.checked && value.relation === 'self' ? 'coworker' : value.relation,
                });
              }}
            />
            {t('reg.namedByOther')} <Kbd keys="Alt+C" />
          </label>
          {value.consent === 'named_by_other' && (
            <label className="check">
              {t('reg.relation')}
              <select
                id="reg-relation"
                value={value.relation}
                onChange={(e) => {
                  onChange({ ...value, relation: e.target.value as RegistrationDraft['relation'] });
                }}
              >
                {RELATIONS.filter((r) => r !== 'self').map((r) => (
                  <option key={r} value={r}>
                    {t(`relation.${r}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </fieldset>
      </div>
      {props.problem && (
        <p className="error" role="alert" data-testid="registration-problem">
          {props.problem.startsWith('pseudonym:')
            ? `${pseudonymProblemMessages[props.problem.slice('pseudonym:'.length) as PseudonymProblem][consoleLocaleOf(i18n.language)]} ${value.nameKind === 'pseudonym' ? t('reg.problem.another') : ''}`.trim()
            : t(`reg.problem.${props.problem}`)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary">
          {t('reg.add', { count: peopleOf(value) })} <Kbd keys="Enter" />
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')} <Kbd keys="Esc" />
        </button>
      </div>
    </form>
  );
}
