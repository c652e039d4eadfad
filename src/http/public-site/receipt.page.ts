import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';
import { pageUrl } from './layout';
import type { LogProofView, ReceiptStatusView } from './registry-port';

/** What the lookup found: nothing (wrong or unknown code, said the same way), a status, or a malformed code. */
export type ReceiptOutcome =
  | { kind: 'none' }
  | { kind: 'notFound' }
  | { kind: 'invalid' }
  | { kind: 'found'; receipt: ReceiptStatusView; log?: { proof: LogProofView; code: string; key: string } };

/**
 * A published statement's place in the transparency log: its entry, the proof file and the entry
 * to download (forms that post the code again, so that it never appears in a URL), and what the
 * proof shows and does not.
 */
function logSection(ctx: PageContext, log: { proof: LogProofView; code: string; key: string }): SafeHtml | string {
  const { t, locale } = ctx;
  if (log.proof.kind === 'none') return '';
  if (log.proof.kind === 'not-yet') return html`<section class="log-proof"><h2>${t('receipt.log.title')}</h2><p>${t('receipt.log.pending')}</p></section>`;
  const download = (what: 'proof' | 'entry', label: string) =>
    html`<form method="post" action="${pageUrl('receipt', locale)}/${what}" class="download"><input type="hidden" name="code" value="${log.code}"><button type="submit" class="button">${label}</button></form>`;
  return html`<section class="log-proof" data-log-index="${log.proof.index}"><h2>${t('receipt.log.title')}</h2>
<p>${t('receipt.log.entry', { position: log.proof.index + 1, index: log.proof.index, size: log.proof.checkpointSize })}</p>
${download('proof', t('receipt.log.proof'))}${download('entry', t('receipt.log.entryFile'))}
<p>${t('receipt.log.proves')}</p>
<p>${t('receipt.log.notProves')}</p>
<p>${t('receipt.log.check')} <code class="log-key" translate="no">${log.key}</code> (<a href="/log/checkpoint">${t('receipt.log.checkpoint')}</a>)</p>
</section>`;
}

function statusText(ctx: PageContext, receipt: ReceiptStatusView): string {
  const { t } = ctx;
  switch (receipt.status) {
    case 'published':
      return t('receipt.status.published', { sequence: receipt.sequence ?? '', date: receipt.day ?? '' });
    case 'rejected':
      if (receipt.rejectionReason === 'duplicate') return t('receipt.status.duplicate');
      return receipt.rejectionReason ? t('receipt.status.rejected', { reason: receipt.rejectionReason }) : t('receipt.status.rejected.noReason');
    case 'duplicate':
      return t('receipt.status.duplicate');
    default:
      // Pending and held read the same: a held submission must not learn that it was held.
      return t('receipt.status.pending');
  }
}

/** The receipt lookup: a form posting the code in the body (never in a URL), and the answer. */
export function receiptPage(ctx: PageContext, outcome: ReceiptOutcome, code = ''): SafeHtml {
  const { t, locale } = ctx;
  const result =
    outcome.kind === 'found'
      ? html`<section class="result" role="status"><h2>${t('receipt.result')}</h2><p data-receipt-status="${outcome.receipt.status === 'held' ? 'pending' : outcome.receipt.status}">${statusText(ctx, outcome.receipt)}</p></section>${outcome.log ? logSection(ctx, outcome.log) : ''}`
      : outcome.kind === 'notFound'
        ? html`<div class="alert" role="alert"><p>${t('receipt.notFound')}</p></div>`
        : outcome.kind === 'invalid'
          ? html`<div class="alert" role="alert"><p>${t('error.receipt.invalid')}</p></div>`
          : '';
  const body = html`<h1>${t('receipt.title')}</h1>
<p class="intro">${t('receipt.intro')}</p>
${result}
<form method="post" action="${pageUrl('receipt', locale)}" class="lookup">
<label for="code">${t('receipt.code')}</label>
<input id="code" name="code" type="text" maxlength="64" autocomplete="off" autocapitalize="characters" spellcheck="false" value="${outcome.kind === 'found' ? '' : code}">
<button type="submit" class="button">${t('receipt.send')}</button>
</form>`;
  return layout(ctx, 'receipt', { title: t('receipt.title'), body });
}

/** A short page for errors that happen before a form could be read (too large, too many requests). */
export function errorPage(ctx: PageContext, text: string, back: 'submit' | 'receipt' | 'home'): SafeHtml {
  const { t, locale } = ctx;
  const body = html`<h1>${t('error.title')}</h1><div class="alert" role="alert"><p>${text}</p></div><p><a href="${pageUrl(back, locale)}">${t(`nav.${back}`)}</a></p>`;
  return layout(ctx, back, { title: t('error.title'), body });
}
