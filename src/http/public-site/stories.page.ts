import { chinaDay } from '../../domain/counters/china-day';
import type { Locale } from '../../shared/localized-text';
import { escapeHtml, html, type SafeHtml } from './html';
import { LOCALE_PREFIX } from './i18n';
import { layout, type PageContext, pageUrl } from './layout';
import type { PublicStoryView } from './registry-port';

/** The Atom feed of a locale's stories. */
export function storiesFeedUrl(locale: Locale): string {
  return `${LOCALE_PREFIX[locale]}/stories/feed.xml`;
}

const storyUrl = (locale: Locale, id: string) => `${LOCALE_PREFIX[locale]}/stories/${encodeURIComponent(id)}`;

/** A story's body: paragraphs separated by blank lines, lines kept. */
function paragraphs(body: string): SafeHtml[] {
  return body
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => html`<p>${p.split('\n').map((line, i) => (i === 0 ? line : html`<br>${line}`))}</p>`);
}

function article(ctx: PageContext, story: PublicStoryView, heading: 'h1' | 'h2'): SafeHtml {
  const text = story.content[ctx.locale];
  const title = heading === 'h1' ? html`<h1>${text.title}</h1>` : html`<h2><a href="${storyUrl(ctx.locale, story.id)}">${text.title}</a></h2>`;
  return html`<article class="story" id="story-${story.id}">${title}<p class="muted"><time datetime="${new Date(story.publishedAt).toISOString()}">${ctx.t('stories.published', { date: chinaDay(story.publishedAt) })}</time></p>${paragraphs(text.body)}</article>`;
}

/** The Stories page: the published stories, newest first, in the page's language. */
export function storiesPage(ctx: PageContext, stories: readonly PublicStoryView[]): SafeHtml {
  const { t } = ctx;
  const body = html`<h1>${t('stories.title')}</h1>
<p>${t('stories.intro')} <a href="${storiesFeedUrl(ctx.locale)}">${t('stories.feed')}</a></p>
${stories.length === 0 ? html`<p class="muted">${t('stories.empty')}</p>` : stories.map((story) => article(ctx, story, 'h2'))}`;
  return layout(ctx, 'stories', { title: t('stories.title'), body, feed: { href: storiesFeedUrl(ctx.locale), title: t('stories.title') } });
}

/** One story on its own page. */
export function storyPage(ctx: PageContext, story: PublicStoryView): SafeHtml {
  const body = html`${article(ctx, story, 'h1')}<p><a href="${pageUrl('stories', ctx.locale)}">${ctx.t('stories.back')}</a></p>`;
  return layout(ctx, 'stories', { title: story.content[ctx.locale].title, body, feed: { href: storiesFeedUrl(ctx.locale), title: ctx.t('stories.title') } });
}

/**
 * The stories as an Atom feed (RFC 4287) in one language, for partners' readers. `base` is the
 * public URL the service is reached at, so that links work outside the site.
 */
export function storiesFeed(ctx: PageContext, stories: readonly PublicStoryView[], base: string): string {
  const origin = base.replace(/\/$/, '');
  const updated = new Date(stories[0]?.publishedAt ?? 0).toISOString();
  const entries = stories.map((story) => {
    const text = story.content[ctx.locale];
    const url = `${origin}${storyUrl(ctx.locale, story.id)}`;
    return `<entry><id>${escapeHtml(url)}</id><title>${escapeHtml(text.title)}</title><link href="${escapeHtml(url)}"/><updated>${new Date(story.publishedAt).toISOString()}</updated><content type="text">${escapeHtml(text.body)}</content></entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${ctx.locale}"><id>${escapeHtml(`${origin}${pageUrl('stories', ctx.locale)}`)}</id><title>${escapeHtml(ctx.t('stories.title'))}</title><link href="${escapeHtml(`${origin}${pageUrl('stories', ctx.locale)}`)}"/><link rel="self" href="${escapeHtml(`${origin}${storiesFeedUrl(ctx.locale)}`)}"/><updated>${updated}</updated><author><name>${escapeHtml(ctx.t('site.name'))}</name></author>${entries.join('')}</feed>
`;
}
