import { useTranslation } from 'react-i18next';
import { consoleLocaleOf } from '../locale';

export type Organization = 'party' | 'league' | 'pioneers';
/** A group counted together: how many people, and which organizations they all leave. */
export interface Cohort {
  count: number;
  organizations: Organization[];
}
/** A province as `GET /api/regions/provinces` lists it. */
export interface Province {
  code: string;
  name: Record<'en' | 'zh-Hans' | 'zh-Hant', string>;
}

const ORGS: Organization[] = ['party', 'league', 'pioneers'];

/** Who a statement counts, group by group ("8 Party members, 11 League and Pioneers members"). */
export function CohortsField(props: { cohorts: Cohort[]; onChange: (cohorts: Cohort[]) => void }) {
  const { t } = useTranslation();
  const { cohorts } = props;
  const setCohort = (index: number, next: Cohort) => {
    props.onChange(cohorts.map((cohort, i) => (i === index ? next : cohort)));
  };
  return (
    <fieldset className="cohorts">
      <legend>{t('archive.cohorts')}</legend>
      {cohorts.map((cohort, index) => (
        <div className="row wrap" key={index} data-testid="cohort">
          <label className="count">
            {t('archive.people')}
            <input
              type="number"
              min={1}
              max={10000}
              required
              value={cohort.count}
              onChange={(e) => {
                setCohort(index, { ...cohort, count: Number(e.target.value) });
              }}
            />
          </label>
          {ORGS.map((org) => (
            <label key={org} className="check">
              <input
                type="checkbox"
                checked={cohort.organizations.includes(org)}
                onChange={() => {
                  const organizations = cohort.organizations.includes(org) ? cohort.organizations.filter((o) => o !== org) : [...cohort.organizations, org];
                  setCohort(index, { ...cohort, organizations });
                }}
              />
              {t(`org.${org}`)}
            </label>
          ))}
          {cohorts.length > 1 && (
            <button
              type="button"
              className="small link"
              onClick={() => {
                props.onChange(cohorts.filter((_, i) => i !== index));
              }}
            >
              {t('archive.removeCohort')}
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        className="small"
        onClick={() => {
          props.onChange([...cohorts, { count: 1, organizations: ['party'] }]);
        }}
      >
        {t('archive.addCohort')}
      </button>
    </fieldset>
  );
}

/** A province (or abroad, or not known), by its name in the reader's language. */
export function ProvinceSelect(props: { provinces: Province[]; value: string; onChange: (code: string) => void; emptyLabel?: string; label: string }) {
  const { t, i18n } = useTranslation();
  const locale = consoleLocaleOf(i18n.language);
  return (
    <label>
      {props.label}
      <select
        value={props.value}
        onChange={(e) => {
          props.onChange(e.target.value);
        }}
      >
        {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
        {props.provinces.map((p) => (
          <option key={p.code} value={p.code}>
            {p.name[locale]}
          </option>
        ))}
        <option value="abroad">{t('archive.abroad')}</option>
        <option value="unknown">{t('archive.unknownRegion')}</option>
      </select>
    </label>
  );
}
