import type { TFunction } from 'i18next';

/**
 * When a calling window opens, in China time first (the window is set in China time) and in the
 * viewer's own zone beside it, each labelled: "08:00 China time (19:00 your time)".
 */
export function windowOpensText(at: number, language: string, t: TFunction<'operations'>): string {
  const format = (timeZone?: string) =>
    new Intl.DateTimeFormat(language, { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) }).format(at);
  return t('campaigns.chinaAndLocalTime', { china: format('Asia/Shanghai'), local: format() });
}
