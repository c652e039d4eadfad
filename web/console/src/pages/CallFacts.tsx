import { useTranslation } from 'react-i18next';
import type { OrgType } from '../../../../src/shared/schemas/calls';
import type { Occupation } from '../../../../src/shared/schemas/statement-basics';
import { OCCUPATIONS, ORG_TYPES } from '../../../../src/shared/schemas/values';
import { Kbd } from './Kbd';

/** Who answered the phone, as the workspace and the correction form edit it. */
export interface WhoAnswered {
  orgType: OrgType | '';
  occupation: Occupation | '';
  /** Digits as typed; empty when not counted. */
  listeners: string;
}

/** What was handed out in the call. */
export interface HandedOutValue {
  hotlineNumberGiven: boolean;
  circumventionTool: string;
  materialsRequested: boolean;
}

/** Tools volunteers explain most often (the field takes any name). */
const TOOLS = ['Freegate', 'Ultrasurf', 'Shadowsocks', 'V2Ray', 'Tor'];

/**
 * Organization type, occupation and listeners. `idPrefix` keeps ids unique when the form appears
 * twice; the workspace's unprefixed ids are what its Alt shortcuts focus, so it shows the keys.
 */
export function WhoAnsweredFields(props: { value: WhoAnswered; onChange: (patch: Partial<WhoAnswered>) => void; idPrefix?: string }) {
  const { t } = useTranslation();
  const prefix = props.idPrefix ?? '';
  const showKeys = prefix === '';
  return (
    <div className="row wrap">
      <label>
        <span>
          {t('who.orgType')} {showKeys && <Kbd keys="Alt+W" />}
        </span>
        <select
          id={`${prefix}org-type`}
          value={props.value.orgType}
          onChange={(e) => {
            props.onChange({ orgType: e.target.value as WhoAnswered['orgType'] });
          }}
        >
          <option value="">—</option>
          {ORG_TYPES.map((o) => (
            <option key={o} value={o}>
              {t(`orgType.${o}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('who.occupation')}
        <select
          id={`${prefix}occupation`}
          value={props.value.occupation}
          onChange={(e) => {
            props.onChange({ occupation: e.target.value as WhoAnswered['occupation'] });
          }}
        >
          <option value="">—</option>
          {OCCUPATIONS.map((o) => (
            <option key={o} value={o}>
              {t(`occupation.${o}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="count">
        <span>
          {t('who.listeners')} {showKeys && <Kbd keys="Alt+L" />}
        </span>
        <input
          id={`${prefix}listeners`}
          inputMode="numeric"
          maxLength={4}
          value={props.value.listeners}
          onChange={(e) => {
            props.onChange({ listeners: e.target.value.replace(/\D/g, '') });
          }}
        />
      </label>
    </div>
  );
}

/** Hotline number given, circumvention tool explained, materials requested. */
export function HandedOutFields(props: { value: HandedOutValue; onChange: (patch: Partial<HandedOutValue>) => void; idPrefix?: string }) {
  const { t } = useTranslation();
  const prefix = props.idPrefix ?? '';
  const showKeys = prefix === '';
  return (
    <div className="row wrap">
      <label className="check">
        <input
          id={`${prefix}hotline-given`}
          type="checkbox"
          checked={props.value.hotlineNumberGiven}
          onChange={(e) => {
            props.onChange({ hotlineNumberGiven: e.target.checked });
          }}
        />
        {t('handed.hotline')} {showKeys && <Kbd keys="Alt+H" />}
      </label>
      <label>
        <span>
          {t('handed.tool')} {showKeys && <Kbd keys="Alt+V" />}
        </span>
        <input
          id={`${prefix}tool`}
          list={`${prefix}tools`}
          maxLength={60}
          value={props.value.circumventionTool}
          onChange={(e) => {
            props.onChange({ circumventionTool: e.target.value });
          }}
        />
        <datalist id={`${prefix}tools`}>
          {TOOLS.map((tool) => (
            <option key={tool} value={tool} />
          ))}
        </datalist>
      </label>
      <label className="check">
        <input
          id={`${prefix}materials`}
          type="checkbox"
          checked={props.value.materialsRequested}
          onChange={(e) => {
            props.onChange({ materialsRequested: e.target.checked });
          }}
        />
        {t('handed.materials')} {showKeys && <Kbd keys="Alt+M" />}
      </label>
    </div>
  );
}
