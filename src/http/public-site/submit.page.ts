import { Converter } from 'opencc-js/cn2t';
import type { Locale } from '../../shared/localized-text';
import { type Pseudonym, pseudonymProblemMessages } from '../../shared/pseudonym';
import { listCounties, listPrefectures, listProvinces, regionName, SPECIAL_REGION_INPUTS } from '../../shared/regions';
import { html, type SafeHtml } from './html';
import { layout, type PageContext, pageUrl } from './layout';
import type { FieldErrors, FieldMessage, FormField, SubmitFormValues } from './submit-form';

/** What the form page is rendered from. */
export interface SubmitPageData {
  values: SubmitFormValues;
  errors: FieldErrors;
  /** Pseudonyms offered on the page (shown as text without JavaScript, clickable with it). */
  suggestions: readonly Pseudonym[];
  formToken: string;
}

let toTraditional: ((text: string) => string) | undefined;

/** A suggested name as written in the page's script: 万顺 is offered as 萬順 on Traditional pages. */
function nameInScript(name: string, locale: Locale): string {
  if (locale !== 'zh-Hant') return name;
  toTraditional ??= Converter({ from: 'cn', to: 'tw' });
  return toTraditional(name);
}

function message(ctx: PageContext, m: FieldMessage): string {
  return 'pseudonym' in m ? pseudonymProblemMessages[m.pseudonym][ctx.locale] : ctx.t(m.key, m.params);
}

function fieldError(ctx: PageContext, errors: FieldErrors, field: FormField): SafeHtml | '' {
  const m = errors[field];
  return m === undefined ? '' : html`<p class="error" id="e-${field}">${message(ctx, m)}</p>`;
}

function invalid(errors: FieldErrors, field: FormField): SafeHtml | '' {
  return errors[field] === undefined ? '' : html` aria-invalid="true" aria-describedby="e-${field}"`;
}

const selected = (isSelected: boolean) => (isSelected ? html` selected` : '');
const checked = (isChecked: boolean) => (isChecked ? html` checked` : '');

function regionFields(ctx: PageContext, values: SubmitFormValues, errors: FieldErrors): SafeHtml {
  const { t, locale } = ctx;
  const provinces = listProvinces();
  const counties = values.prefecture === '' ? [] : listCounties(values.prefecture);
  return html`<fieldset class="region" id="region"${invalid(errors, 'region')}>
<legend>${t('submit.region')}</legend>
${fieldError(ctx, errors, 'region')}
<div class="row">
<label>${t('submit.region.province')}
<select name="province" data-region="province">
<option value="">${t('submit.region.choose')}</option>
${provinces.map((p) => html`<option value="${p.code}"${selected(values.province === p.code)}>${regionName(p.code, locale)}</option>`)}
${SPECIAL_REGION_INPUTS.map((s) => html`<option value="${s}"${selected(values.province === s)}>${regionName(s, locale)}</option>`)}
</select></label>
<label>${t('submit.region.prefecture')}
<select name="prefecture" data-region="prefecture">
<option value="">${t('submit.region.all')}</option>
${provinces.map(
  (p) => html`<optgroup label="${regionName(p.code, locale)}">${listPrefectures(p.code).map(
    (c) => html`<option value="${c.code}"${selected(values.prefecture === c.code)}>${regionName(c.code, locale)}</option>`,
  )}</optgroup>`,
)}
</select></label>
<label data-county${counties.length === 0 ? html` hidden` : ''}>${t('submit.region.county')}
<select name="county" data-region="county">
<option value="">${t('submit.region.all')}</option>
${counties.map((c) => html`<option value="${c.code}"${selected(values.county === c.code)}>${regionName(c.code, locale)}</option>`)}
</select></label>
</div>
<p class="hint">${t('submit.region.hint')}</p>
<p data-step><button type="submit" name="step" value="regions" class="link" formaction="${pageUrl('submit', locale)}#region" formnovalidate>${t('submit.region.showCounties')}</button></p>
</fieldset>`;
}

/** The submission form; re-rendered with the person's values and a message next to each wrong field. */
export function submitPage(ctx: PageContext, data: SubmitPageData, status?: { formError?: FieldMessage }): SafeHtml {
  const { t, locale } = ctx;
  const { values, errors } = data;
  const hasErrors = Object.keys(errors).length > 0 || status?.formError !== undefined;
  const formError = status?.formError ?? errors.form;
  const body = html`<h1>${t('submit.title')}</h1>
<p class="intro">${t('submit.intro')}</p>
${hasErrors ? html`<div class="alert" role="alert"><p>${formError === undefined ? t('submit.errors') : message(ctx, formError)}</p></div>` : ''}
<form method="post" action="${pageUrl('submit', locale)}" class="statement-form" data-regions="${ctx.assets.regions[locale]}" data-working="${t('submit.working')}" novalidate>
<fieldset${invalid(errors, 'nameKind')}>
<legend>${t('submit.nameKind')}</legend>
${fieldError(ctx, errors, 'nameKind')}
<label class="choice"><input type="radio" name="nameKind" value="pseudonym"${checked(values.nameKind !== 'real')}> ${t('submit.nameKind.pseudonym')}</label>
<label class="choice"><input type="radio" name="nameKind" value="real"${checked(values.nameKind === 'real')}> ${t('submit.nameKind.real')}</label>
</fieldset>
<div class="field">
<label for="name">${t('submit.name')}</label>
${fieldError(ctx, errors, 'name')}
<input id="name" name="name" type="text" maxlength="100" autocomplete="off" value="${values.name}"${invalid(errors, 'name')}>
<div class="suggest"><p class="hint">${t('submit.name.hint')}</p>
<ul class="chips">${data.suggestions.map(
    (p) => html`<li><span class="chip" data-name="${nameInScript(p.name, locale)}">${nameInScript(p.name, locale)} <small>${p.pinyin} · ${p.meaning[locale]}</small></span></li>`,
  )}</ul>
<button type="button" class="link" data-suggest hidden>${t('submit.name.suggest')}</button></div>
</div>
<fieldset${invalid(errors, 'organizations')}>
<legend>${t('submit.organizations')}</legend>
${fieldError(ctx, errors, 'organizations')}
${(['party', 'league', 'pioneers'] as const).map(
  (o) => html`<label class="choice"><input type="checkbox" name="organizations" value="${o}"${checked(values.organizations.includes(o))}> ${t(`org.${o}.long`)}</label>`,
)}
</fieldset>
${regionFields(ctx, values, errors)}
<div class="field">
<label for="peopleCount">${t('submit.peopleCount')}</label>
${fieldError(ctx, errors, 'peopleCount')}
<input id="peopleCount" name="peopleCount" type="number" min="1" max="1000" inputmode="numeric" value="${values.peopleCount}"${invalid(errors, 'peopleCount')}>
<p class="hint">${t('submit.peopleCount.hint')}</p>
</div>
<div class="field">
<label for="text">${t('submit.text')}</label>
${fieldError(ctx, errors, 'text')}
<textarea id="text" name="text" rows="6" maxlength="2000"${invalid(errors, 'text')}>${values.text}</textarea>
<p class="hint">${t('submit.text.hint')}</p>
</div>
<div class="hp" aria-hidden="true"><label for="website">${t('submit.honeypot')}</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off" value=""></div>
<div class="field">
${fieldError(ctx, errors, 'consent')}
<label class="choice consent"><input type="checkbox" name="consent" value="yes"${checked(values.consent)}${invalid(errors, 'consent')}> ${t('submit.consent')}</label>
</div>
<input type="hidden" name="formToken" value="${data.formToken}">
<input type="hidden" name="submissionKey" value="${values.submissionKey}">
<input type="hidden" name="powChallenge" value="">
<input type="hidden" name="powNonce" value="">
<p><button type="submit" class="button">${t('submit.send')}</button></p>
</form>`;
  return layout(ctx, 'submit', { title: t('submit.title'), body, scripts: [ctx.assets.formJs] });
}

/** The page after a successful submission: the receipt code, shown this once. */
export function submittedPage(ctx: PageContext, receipt: { receiptCode: string }): SafeHtml {
  const { t, locale } = ctx;
  const body = html`<h1>${t('done.title')}</h1>
<p>${t('done.intro')}</p>
<section class="receipt">
<h2>${t('done.code')}</h2>
<p class="code" data-receipt-code>${receipt.receiptCode}</p>
<p>${t('done.keep')}</p>
</section>
<p><a class="button" href="${pageUrl('receipt', locale)}">${t('done.check')}</a></p>`;
  return layout(ctx, 'submit', { title: t('done.title'), body });
}
