import { describe, expect, it } from 'vitest';
import { type CallDraft, type RegistrationDraft, cohortsOf, registrationProblem, saveInputOf } from './draft';
import { localeFromBrowser } from './locale';

const group: RegistrationDraft = {
  clientId: 'reg-00000001',
  kind: 'group',
  nameKind: 'pseudonym',
  name: '万顺',
  organizations: [],
  counts: { party: 8, leaguePioneers: 11, league: 0, pioneers: 0 },
  consent: 'personal',
  relation: 'self',
};

const draft: CallDraft = {
  version: 1,
  clientId: 'call-00000001',
  ownerId: 'u1',
  direction: 'outbound',
  phone: '+867318888123',
  status: 'answered',
  startedAt: 1000,
  answeredAt: 2000,
  orgType: 'county_government',
  occupation: '',
  listeners: '19',
  outcome: '',
  notes: '',
  hotlineNumberGiven: false,
  circumventionTool: '',
  materialsRequested: false,
  registrations: [group],
  followups: [{ clientId: 'fu-00000001', name: '', howToReach: ' ', offered: '' }],
};

describe('call drafts', () => {
  it('turns "19 people: 8 party, 11 League/Pioneers" into two cohorts under one declarant', () => {
    expect(cohortsOf(group)).toEqual([
      { count: 8, organizations: ['party'] },
      { count: 11, organizations: ['league', 'pioneers'] },
    ]);
  });

  it('refuses a careless pseudonym, an empty name and a registration without organizations', () => {
    expect(registrationProblem({ ...group, name: '111' })).toBe('pseudonym:REPEATED_CHARACTER');
    expect(registrationProblem({ ...group, name: '习近平' })).toBe('pseudonym:LEADER_OR_PARTY_NAME');
    expect(registrationProblem({ ...group, nameKind: 'real', name: '共产党' })).toBe('pseudonym:LEADER_OR_PARTY_NAME');
    expect(registrationProblem({ ...group, name: ' ' })).toBe('name');
    expect(registrationProblem({ ...group, counts: { party: 0, leaguePioneers: 0, league: 0, pioneers: 0 } })).toBe('organizations');
    expect(registrationProblem({ ...group, kind: 'person', organizations: [] })).toBe('organizations');
    expect(registrationProblem(group)).toBeUndefined();
  });

  it('saves with the draft’s client ids, "registered" when someone was registered, and no empty follow-up', () => {
    const input = saveInputOf(draft, 5000);
    expect(input.clientId).toBe('call-00000001');
    expect(input.registrations.map((r) => r.clientId)).toEqual(['reg-00000001']);
    expect(input.outcome).toBe('registered');
    expect(input.listeners).toBe(19);
    expect(input.endedAt).toBe(5000);
    expect(input.followups).toEqual([]);
    expect(saveInputOf({ ...draft, registrations: [], answeredAt: undefined }, 5000).outcome).toBe('no_answer');
  });

  it('follows the browser’s language: Traditional for Taiwan and Hong Kong, Simplified for other Chinese', () => {
    expect(localeFromBrowser(['zh-TW', 'en'])).toBe('zh-Hant');
    expect(localeFromBrowser(['zh-Hant-HK'])).toBe('zh-Hant');
    expect(localeFromBrowser(['zh-CN'])).toBe('zh-Hans');
    expect(localeFromBrowser(['fr-FR', 'en-GB'])).toBe('en');
    expect(localeFromBrowser(['de'])).toBe('en');
  });
});
