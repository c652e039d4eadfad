import { LOCALES, type Locale } from '../../shared/localized-text';
import { html, type SafeHtml } from './html';
import { LOCALE_NAMES, LOCALE_PREFIX, type Translate, translator } from './i18n';

/** The public pages, by the path they have after the locale prefix. */
export type PublicPage = 'home' | 'submit' | 'receipt' | 'stories' | 'reports';

const PAGE_PATHS: Readonly<Record<PublicPage, string>> = { home: '/', submit: '/submit', receipt: '/receipt', stories: '/stories', reports: '/reports' };

/**
 * The URL of a page in a locale. Simplified Chinese pages have no prefix, except its home page,
 * which is `/zh-hans/` so that a choice made in the switcher is not undone by Accept-Language.
 */
export function pageUrl(page: PublicPage, locale: Locale): string {
  if (page === 'home') return locale === 'zh-Hans' ? '/zh-hans/' : `${LOCALE_PREFIX[locale]}/`;
  return `${LOCALE_PREFIX[locale]}${PAGE_PATHS[page]}`;
}

/** The hashed URLs of the static files a page may load. */
export interface AssetUrls {
  css: string;
  homeJs: string;
  formJs: string;
  regions: Readonly<Record<Locale, string>>;
}

/** What every page is rendered with. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  assets: AssetUrls;
}

/** A page context for a locale. */
export function pageContext(locale: Locale, assets: AssetUrls): PageContext {
  return { locale, t: translator(locale), assets };
}

/** The frame around every public page: header with navigation and language switcher, footer. */
export function layout(
  ctx: PageContext,
  page: PublicPage,
  options: { title: string; body: SafeHtml; scripts?: readonly string[]; feed?: { href: string; title: string } },
): SafeHtml {
  const { t, locale } = ctx;
  const nav = (['home', 'submit', 'receipt', 'stories', 'reports'] as const).map(
    (p) => html`<a href="${pageUrl(p, locale)}"${p === page ? html` aria-current="page"` : ''}>${t(`nav.${p}`)}</a>`,
  );
  const switcher = LOCALES.map((other) =>
    other === locale
      ? html`<strong lang="${other}">${LOCALE_NAMES[other]}</strong>`
      : html`<a href="${pageUrl(page, other)}" lang="${other}" hreflang="${other}">${LOCALE_NAMES[other]}</a>`,
  );
  const title = page === 'home' ? t('site.name') : `${options.title} · ${t('site.name')}`;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
<meta name="description" content="${t('site.tagline')}">
<link rel="stylesheet" href="${ctx.assets.css}">
${options.feed ? html`<link rel="alternate" type="application/atom+xml" href="${options.feed.href}" title="${options.feed.title}">` : ''}
</head>
<body>
<a class="skip" href="#main">${t('site.skip')}</a>
<header class="top"><div class="wrap">
<a class="brand" href="${pageUrl('home', locale)}">${t('site.name')}</a>
<nav class="nav" aria-label="${t('site.name')}">${nav}</nav>
<nav class="langs" aria-label="${t('nav.language')}">${switcher}</nav>
</div></header>
<main id="main" class="wrap">
${options.body}
</main>
<footer class="foot"><div class="wrap"><p>${t('site.tagline')}</p><p>${t('footer.privacy')}</p></div></footer>
${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>
`;
}
