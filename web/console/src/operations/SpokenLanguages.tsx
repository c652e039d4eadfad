import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { SPOKEN_LANGUAGES } from '../../../../src/shared/spoken-languages';

/**
 * The languages a volunteer takes calls in, saved at each change (and applied at once while on
 * duty): the inbound queue offers calls in these languages. At least one stays chosen.
 */
export function SpokenLanguages(props: { languages: string[]; onSaved: (languages: string[]) => void; onError: (error: unknown) => void }) {
  const { t } = useTranslation('operations');
  const [notice, setNotice] = useState('');
  const { languages } = props;
  const toggle = (code: string) => {
    const next = languages.includes(code) ? languages.filter((language) => language !== code) : [...languages, code];
    if (next.length === 0) return;
    props.onError(null);
    props.onSaved(next);
    api<{ languages: string[] }>('PUT', '/api/operations/presence/languages', { languages: next })
      .then((result) => {
        props.onSaved(result.languages);
        setNotice(t('board.languagesSaved'));
      })
      .catch(props.onError);
  };
  return (
    <fieldset className="languages" data-testid="my-languages">
      <legend>{t('board.languages')}</legend>
      {SPOKEN_LANGUAGES.map((code) => (
        <label key={code} className="check">
          <input
            type="checkbox"
            checked={languages.includes(code)}
            disabled={languages.length === 1 && languages.includes(code)}
            onChange={() => {
              toggle(code);
            }}
          />
          {t(`board.language_${code}`)}
        </label>
      ))}
      <p className="muted small">{notice || t('board.languagesHelp')}</p>
    </fieldset>
  );
}
