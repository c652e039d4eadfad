import type { Locale } from '../../shared/localized-text';
import { getRegion, regionName } from '../../shared/regions';
import { toTraditional } from '../../shared/traditional';

/** A story's title and body in one language. */
export interface StoryText {
  title: string;
  body: string;
}

/** A story in every language the service publishes in. */
export type StoryContent = Record<Locale, StoryText>;

/** One group of people under one name, as a story tells it. */
export interface StoryRegistration {
  nameKind: 'real' | 'pseudonym';
  /** The pseudonym; never a real name (a story mentions only that a real name was used). */
  pseudonym: string | null;
  cohorts: { count: number; organizations: string[] }[];
  /** Registered on the word of the person on the phone (a co-worker, family). */
  namedByOther: boolean;
  relation: string | null;
}

/** What a story may say about one call: no number, no name, no place below the prefecture. */
export interface StoryCall {
  direction: 'outbound' | 'inbound';
  /** The province and prefecture codes (never the county). */
  provinceCode: string | null;
  prefectureCode: string | null;
  orgType: string | null;
  occupation: string | null;
  minutes: number | null;
  listeners: number | null;
  handedOut: { hotlineNumberGiven: boolean; circumventionTool: string; materialsRequested: boolean };
  registrations: StoryRegistration[];
  /** What the volunteer marked as quotable. */
  quotable: string;
}

/** The part of the call's region a story may name: province and prefecture, never the county. */
export function storyPlace(regionCode: string | null): { provinceCode: string | null; prefectureCode: string | null } {
  const region = regionCode === null ? undefined : getRegion(regionCode);
  if (region === undefined) return { provinceCode: null, prefectureCode: null };
  return { provinceCode: region.provinceCode, prefectureCode: region.prefectureCode ?? null };
}

const ORG_ZH: Record<string, string> = {
  county_government: '一个县政府',
  township_government: '一个乡镇政府',
  city_government: '市政府',
  police_station: '一个派出所',
  procuratorate: '检察院',
  court: '法院',
  party_office: '一个党委办公室',
  company: '一家公司',
  school: '一所学校',
  hospital: '一家医院',
  home: '一户人家',
  other: '一个单位',
};
const ORG_EN: Record<string, string> = {
  county_government: 'a county government office',
  township_government: 'a township government office',
  city_government: 'the city government',
  police_station: 'a police station',
  procuratorate: 'the procuratorate',
  court: 'the court',
  party_office: 'a party office',
  company: 'a company',
  school: 'a school',
  hospital: 'a hospital',
  home: 'a home',
  other: 'a workplace',
};
const OCCUPATION_ZH: Record<string, string> = {
  government: '一位政府官员',
  police: '一位警察',
  judiciary: '一位司法人员',
  military: '一位军人',
  education: '一位教师',
  health: '一位医务人员',
  business: '一位商人',
  farmer: '一位农民',
  worker: '一位工人',
  student: '一位学生',
  retired: '一位退休人员',
  other: '一个人',
};
const OCCUPATION_EN: Record<string, string> = {
  government: 'an official',
  police: 'a police officer',
  judiciary: 'a member of the judiciary',
  military: 'a soldier',
  education: 'a teacher',
  health: 'a health worker',
  business: 'a businessperson',
  farmer: 'a farmer',
  worker: 'a worker',
  student: 'a student',
  retired: 'a retired person',
  other: 'someone',
};
const RELATION_ZH: Record<string, string> = { coworker: '同事', family: '家人', friend: '朋友', neighbor: '邻居', other: '身边的人' };
const RELATION_EN: Record<string, string> = { coworker: 'a co-worker', family: 'a family member', friend: 'a friend', neighbor: 'a neighbour', other: 'someone close' };
const NUMBERS_ZH = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];

function leaveZh(organizations: readonly string[]): string {
  const words: Record<string, string> = { party: '退党', league: '退团', pioneers: '退队' };
  return organizations.map((o) => words[o] ?? o).join('、');
}

function leaveEn(organizations: readonly string[]): string {
  const words: Record<string, string> = { party: 'the Party', league: 'the Youth League', pioneers: 'the Young Pioneers' };
  const named = organizations.map((o) => words[o] ?? o);
  return named.length <= 1 ? (named[0] ?? '') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1] ?? ''}`;
}

const peopleOf = (call: StoryCall) => call.registrations.reduce((sum, r) => sum + r.cohorts.reduce((s, c) => s + c.count, 0), 0);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function placeZh(call: StoryCall): string {
  const province = call.provinceCode === null ? '' : (regionName(call.provinceCode, 'zh-Hans') ?? '');
  const prefecture = call.prefectureCode === null ? '' : (regionName(call.prefectureCode, 'zh-Hans') ?? '');
  return `${province}${prefecture}`;
}

function placeEn(call: StoryCall): string {
  const province = call.provinceCode === null ? undefined : regionName(call.provinceCode, 'en');
  const prefecture = call.prefectureCode === null ? undefined : regionName(call.prefectureCode, 'en');
  return [prefecture, province].filter((name) => name !== undefined && name !== '').join(', ');
}

function callZh(call: StoryCall): string {
  const place = placeZh(call);
  const org = call.orgType === null ? '' : (ORG_ZH[call.orgType] ?? '');
  const who = call.occupation === null ? '一个人' : (OCCUPATION_ZH[call.occupation] ?? '一个人');
  const parts: string[] = [];
  if (call.direction === 'outbound') parts.push(`一位志愿者把电话打到${place}${org || '一个号码'}，接电话的是${who}。`);
  else parts.push(`${place ? `${place}的` : ''}${who}打来热线电话。`);
  if (call.minutes !== null) parts.push(`通话持续了${call.minutes}分钟。`);
  if (call.listeners !== null && call.listeners > 1) parts.push(`当时在场一起听的有${call.listeners}人。`);
  if (call.quotable.trim() !== '') parts.push(`志愿者记下：「${call.quotable.trim()}」`);
  const people = peopleOf(call);
  if (people > 0) {
    const groups = call.registrations.map((r) => {
      const how = r.cohorts.map((c) => `${c.count}人${leaveZh(c.organizations)}`).join('，');
      const name = r.nameKind === 'pseudonym' && r.pseudonym ? `以化名“${r.pseudonym}”` : '以真名';
      const onWord = r.namedByOther ? `（${RELATION_ZH[r.relation ?? 'other'] ?? '身边的人'}，经接电话的人转达同意）` : '';
      return `${name}${onWord}：${how}`;
    });
    parts.push(`这通电话中共有${people}人声明三退。${groups.join('；')}。`);
  }
  const given: string[] = [];
  if (call.handedOut.hotlineNumberGiven) given.push('留下了二十四小时热线号码');
  if (call.handedOut.circumventionTool.trim() !== '') given.push(`介绍了翻墙软件${call.handedOut.circumventionTool.trim()}`);
  if (call.handedOut.materialsRequested) given.push('对方索取了资料');
  if (given.length > 0) parts.push(`志愿者${given.join('，')}。`);
  return parts.join('');
}

function callEn(call: StoryCall): string {
  const place = placeEn(call);
  const org = call.orgType === null ? 'a number' : (ORG_EN[call.orgType] ?? 'a number');
  const who = call.occupation === null ? 'someone' : (OCCUPATION_EN[call.occupation] ?? 'someone');
  const parts: string[] = [];
  if (call.direction === 'outbound') parts.push(`A volunteer called ${org}${place ? ` in ${place}` : ''}; ${who} answered.`);
  else parts.push(`${who.charAt(0).toUpperCase()}${who.slice(1)}${place ? ` in ${place}` : ''} called the hotline.`);
  if (call.minutes !== null) parts.push(`The call lasted ${plural(call.minutes, 'minute', 'minutes')}.`);
  if (call.listeners !== null && call.listeners > 1) parts.push(`${call.listeners} people were listening.`);
  if (call.quotable.trim() !== '') parts.push(`The volunteer noted: “${call.quotable.trim()}”`);
  const people = peopleOf(call);
  if (people > 0) {
    const groups = call.registrations.map((r) => {
      const how = r.cohorts.map((c) => `${plural(c.count, 'person', 'people')} left ${leaveEn(c.organizations)}`).join(', ');
      const name = r.nameKind === 'pseudonym' && r.pseudonym ? `under the pseudonym ${r.pseudonym}` : 'under a real name';
      const onWord = r.namedByOther ? ` (${RELATION_EN[r.relation ?? 'other'] ?? 'someone close'}, agreeing through the person on the phone)` : '';
      return `${name}${onWord}: ${how}`;
    });
    parts.push(`In this call ${plural(people, 'person', 'people')} quit: ${groups.join('; ')}.`);
  }
  const given: string[] = [];
  if (call.handedOut.hotlineNumberGiven) given.push('gave the 24-hour hotline number');
  if (call.handedOut.circumventionTool.trim() !== '') given.push(`explained the circumvention tool ${call.handedOut.circumventionTool.trim()}`);
  if (call.handedOut.materialsRequested) given.push('was asked for materials');
  if (given.length > 0) parts.push(`The volunteer ${given.join(', ')}.`);
  return parts.join(' ');
}

function titleZh(calls: readonly StoryCall[]): string {
  const people = calls.reduce((sum, call) => sum + peopleOf(call), 0);
  if (calls.length === 1) {
    const call = calls[0] as StoryCall;
    return `${placeZh(call)}${call.orgType === null ? '' : (ORG_ZH[call.orgType] ?? '').replace(/^一(个|家|所|户)/, '')}：一通电话，${people}人三退`;
  }
  return `${NUMBERS_ZH[calls.length] ?? String(calls.length)}通电话，${people}人三退`;
}

function titleEn(calls: readonly StoryCall[]): string {
  const people = calls.reduce((sum, call) => sum + peopleOf(call), 0);
  return `${plural(people, 'person quits', 'people quit')} the Party and its organizations in ${plural(calls.length, 'call', 'calls')}`;
}

/**
 * A draft report from the facts of one or several calls, in Simplified Chinese, Traditional
 * Chinese (converted from it) and English. It names the province and prefecture only, the
 * pseudonyms only, and never a number: what `findPersonalDetails` looks for cannot come from here.
 */
export function draftStory(calls: readonly StoryCall[]): StoryContent {
  const hans: StoryText = { title: titleZh(calls), body: calls.map(callZh).join('\n\n') };
  return {
    'zh-Hans': hans,
    'zh-Hant': { title: toTraditional(hans.title), body: toTraditional(hans.body) },
    en: { title: titleEn(calls), body: calls.map(callEn).join('\n\n') },
  };
}
