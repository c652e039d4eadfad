import { describe, expect, it } from 'vitest';
import { normalizeLanguageTag, taskDialTarget, taskIdOfDialTarget } from './dial-target';

describe('task dial targets', () => {
  it('turn any task id into a SIP user part of unreserved characters, and back', () => {
    for (const id of ['3f0c2a9e-1b7d-4c55-9e0f-6a1d2b3c4d5e:list-1:42', 'callback:a84b4c76e66710@pc33.example', 'callback:CA0123', '长沙']) {
      const target = taskDialTarget(id);
      expect(target).toMatch(/^task-[A-Za-z0-9_-]+$/);
      expect(taskIdOfDialTarget(target)).toBe(id);
    }
  });

  it('name no task for anything else', () => {
    expect(taskIdOfDialTarget('+862012345678')).toBeNull();
    expect(taskIdOfDialTarget('task-')).toBeNull();
    expect(taskIdOfDialTarget('task-A')).toBeNull();
    expect(taskIdOfDialTarget('task-a+b/')).toBeNull();
    // A non-canonical spelling (padding) of a valid id is refused: one id, one target.
    expect(taskIdOfDialTarget(`${taskDialTarget('ab')}==`)).toBeNull();
  });
});

describe('normalizeLanguageTag', () => {
  it('keeps the primary language subtag in lower case', () => {
    expect(normalizeLanguageTag('zh-CN')).toBe('zh');
    expect(normalizeLanguageTag('yue-Hant-HK')).toBe('yue');
    expect(normalizeLanguageTag(' EN ')).toBe('en');
    expect(normalizeLanguageTag('')).toBeUndefined();
    expect(normalizeLanguageTag('1234')).toBeUndefined();
    expect(normalizeLanguageTag(undefined)).toBeUndefined();
  });
});
