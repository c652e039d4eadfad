import { Converter } from 'opencc-js/cn2t';
import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import {
  checkPseudonym,
  checkRealName,
  maskRealName,
  PSEUDONYM_NAMES,
  pseudonymProblemMessages,
  PseudonymSchema,
  suggestPseudonym,
  suggestPseudonyms,
  type PseudonymProblem,
} from './pseudonym';
import { OTHER_LEADERS, PARAMOUNT_LEADERS, PARTY_NAMES } from './pseudonym-problems';
import { toTraditional } from './traditional';

/** A seeded generator, so that "random" suggestions are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('curated pseudonyms', () => {
  it('has at least 60 distinct names, including those volunteers offer most', () => {
    const names = PSEUDONYM_NAMES.map((entry) => entry.name);
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['金福', '万顺', '平安', '如意', '吉祥', '福寿', '安康', '永安']));
  });

  it('gives 金福 and 万顺 the pinyin and meanings from the real calls', () => {
    expect(PSEUDONYM_NAMES.find((entry) => entry.name === '金福')).toMatchObject({
      pinyin: 'jīn fú',
      meaning: { en: 'golden blessing' },
    });
    expect(PSEUDONYM_NAMES.find((entry) => entry.name === '万顺')).toMatchObject({
      pinyin: 'wàn shùn',
      meaning: { en: 'everything smooth' },
    });
  });

  it('has pinyin that agrees with pinyin-pro and Traditional meanings that agree with OpenCC', () => {
    const toTraditional = Converter({ from: 'cn', to: 'tw' });
    for (const entry of PSEUDONYM_NAMES) {
      expect(entry.pinyin, entry.name).toBe(pinyin(entry.name));
      expect(entry.meaning['zh-Hant'], entry.name).toBe(toTraditional(entry.meaning['zh-Hans']));
      expect(entry.meaning.en.length, entry.name).toBeGreaterThan(3);
    }
  });

  it('are all accepted by checkPseudonym', () => {
    for (const entry of PSEUDONYM_NAMES) expect(checkPseudonym(entry.name), entry.name).toEqual({ ok: true, normalized: entry.name });
  });
});

describe('suggestPseudonym', () => {
  it('picks by the random source, including its edges', () => {
    expect(suggestPseudonym(() => 0)).toBe(PSEUDONYM_NAMES[0]);
    expect(suggestPseudonym(() => 0.999_999)).toBe(PSEUDONYM_NAMES[PSEUDONYM_NAMES.length - 1]);
    expect(suggestPseudonym(() => 1)).toBe(PSEUDONYM_NAMES[PSEUDONYM_NAMES.length - 1]);
  });

  it('suggests several names without repeating one', () => {
    const suggestions = suggestPseudonyms(10, seededRandom(42));
    expect(suggestions).toHaveLength(10);
    expect(new Set(suggestions.map((entry) => entry.name)).size).toBe(10);
  });

  it('suggests different sets for different random sources', () => {
    const first = suggestPseudonyms(5, seededRandom(1)).map((entry) => entry.name);
    const second = suggestPseudonyms(5, seededRandom(2)).map((entry) => entry.name);
    expect(first).not.toEqual(second);
  });

  it('returns every name once when asked for more than there are, and none for zero', () => {
    const all = suggestPseudonyms(PSEUDONYM_NAMES.length + 10, seededRandom(7));
    expect(all).toHaveLength(PSEUDONYM_NAMES.length);
    expect(new Set(all).size).toBe(PSEUDONYM_NAMES.length);
    expect(suggestPseudonyms(0)).toEqual([]);
  });
});

describe('checkPseudonym', () => {
  it.each([
    '金福',
    '万顺',
    'Grace',
    'John Smith',
    'Jin Fu',
    "O'Brien",
    'Mary-Jane',
    'J. Smith',
    '阿依古丽·买买提',
    'Ng',
    'Lili',
    'Robert',
    'Stuart',
    'Ernst',
    'José',
    '王小明',
    'Ангелина',
  ])('accepts %s', (name) => {
    expect(checkPseudonym(name).ok).toBe(true);
  });

  it('normalizes width, surrounding space, inner whitespace and middle dots', () => {
    expect(checkPseudonym('  Ｊｏｈｎ \t  Smith ')).toEqual({ ok: true, normalized: 'John Smith' });
    expect(checkPseudonym('阿依古丽•买买提')).toEqual({ ok: true, normalized: '阿依古丽·买买提' });
  });

  const refusals: [string, PseudonymProblem][] = [
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['金福金福金福金福金福金福金', 'TOO_LONG'],
    ['A', 'TOO_SHORT'],
    ['test', 'PLACEHOLDER'],
    ['TEST', 'PLACEHOLDER'],
    ['测试', 'PLACEHOLDER'],
    ['无', 'PLACEHOLDER'],
    ['匿名', 'PLACEHOLDER'],
    ['null', 'PLACEHOLDER'],
    ['xxx', 'PLACEHOLDER'],
    ['某某', 'PLACEHOLDER'],
    ['张三', 'PLACEHOLDER'],
    ['傻逼', 'PROFANITY_OR_INSULT'],
    ['fuck you', 'PROFANITY_OR_INSULT'],
    ['福福', 'REPEATED_CHARACTER'],
    ['哈哈哈', 'REPEATED_CHARACTER'],
    ['aaaa', 'REPEATED_CHARACTER'],
    ['aaa', 'REPEATED_CHARACTER'],
    ['111', 'REPEATED_CHARACTER'],
    ['hahaha', 'REPEATED_CHARACTER'],
    ['平安平安', 'REPEATED_CHARACTER'],
    ['asdf', 'KEYBOARD_RUN'],
    ['qwerty', 'KEYBOARD_RUN'],
    ['zxcv', 'KEYBOARD_RUN'],
    ['abc', 'KEYBOARD_RUN'],
    ['123', 'KEYBOARD_RUN'],
    ['asdasd', 'KEYBOARD_RUN'],
    ['qweasd', 'KEYBOARD_RUN'],
    ['lkjh', 'KEYBOARD_RUN'],
    ['1qaz', 'KEYBOARD_RUN'],
    ['金福8', 'HAS_DIGITS'],
    ['Wang 2', 'HAS_DIGITS'],
    ['金福!', 'HAS_PUNCTUATION_OR_SYMBOLS'],
    ['金福😀', 'HAS_PUNCTUATION_OR_SYMBOLS'],
    ['@wang', 'HAS_PUNCTUATION_OR_SYMBOLS'],
    ['王--明', 'HAS_PUNCTUATION_OR_SYMBOLS'],
    ['金福Wang', 'MIXED_SCRIPTS'],
    ['brrr tsk', 'LATIN_GIBBERISH'],
    ['sdkjfh', 'LATIN_GIBBERISH'],
    ['aeiou', 'LATIN_GIBBERISH'],
  ];
  it.each(refusals)('refuses %j as %s', (name, reason) => {
    expect(checkPseudonym(name)).toEqual({ ok: false, reason });
  });

  it('counts characters, not UTF-16 units, against the length limit', () => {
    // 𠀀 takes two UTF-16 units; twelve of different characters are still twelve characters.
    expect(checkPseudonym('金福万顺平安如意吉祥福寿').ok).toBe(true);
    expect(checkPseudonym('𠀀𠀁').ok).toBe(true);
  });
});

describe('checkRealName', () => {
  it.each(['丽丽', '林林', 'Bo', 'Ng', 'Stu', 'Abe', 'Lili', '王', '王明', 'John Smith', "O'Brien", '阿依古丽·买买提', 'Ангелина', '李Lee', 'Xxiao'])(
    'accepts the real name %s',
    (name) => {
      expect(checkRealName(name).ok).toBe(true);
    },
  );

  const careless: [string, PseudonymProblem][] = [
    ['111', 'HAS_DIGITS'],
    ['123', 'HAS_DIGITS'],
    ['1qaz', 'HAS_DIGITS'],
    ['王2', 'HAS_DIGITS'],
    ['１２３', 'HAS_DIGITS'],
    ['asdf', 'KEYBOARD_RUN'],
    ['ASDF', 'KEYBOARD_RUN'],
    ['qwer', 'KEYBOARD_RUN'],
    ['qwerty', 'KEYBOARD_RUN'],
    ['zxcv', 'KEYBOARD_RUN'],
    ['abcd', 'KEYBOARD_RUN'],
    ['qweasd', 'KEYBOARD_RUN'],
    ['as df', 'KEYBOARD_RUN'],
    ['aaa', 'REPEATED_CHARACTER'],
    ['!!!', 'HAS_PUNCTUATION_OR_SYMBOLS'],
    ['<script>', 'HAS_PUNCTUATION_OR_SYMBOLS'],
    ['测试', 'PLACEHOLDER'],
    ['test', 'PLACEHOLDER'],
    ['', 'EMPTY'],
    ['王'.repeat(13), 'TOO_LONG'],
  ];
  it.each(careless)('refuses the careless real name %j as %s', (name, reason) => {
    expect(checkRealName(name)).toEqual({ ok: false, reason });
  });

  it('stores the name normalized', () => {
    expect(checkRealName('  王  小明 ')).toEqual({ ok: true, normalized: '王 小明' });
  });
});

describe('pseudonymProblemMessages', () => {
  it('explains every problem in all three locales', () => {
    for (const [problem, message] of Object.entries(pseudonymProblemMessages)) {
      expect(message.en, problem).toMatch(/\w{3}/);
      expect(message['zh-Hans'], problem).toMatch(/\p{Script=Han}/u);
      expect(message['zh-Hant'], problem).toMatch(/\p{Script=Han}/u);
      expect(message['zh-Hant'], problem).not.toBe(message['zh-Hans']);
    }
  });
});

describe('PseudonymSchema', () => {
  it('passes the normalized name through', () => {
    expect(PseudonymSchema.parse('  金福 ')).toBe('金福');
  });

  it('refuses a careless name with its problem code', () => {
    const result = PseudonymSchema.safeParse('asdf');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'custom', params: { reason: 'KEYBOARD_RUN' } });
  });
});

describe('maskRealName', () => {
  it.each([
    ['王小明', '王*明'],
    ['王明', '王*'],
    ['欧阳小明', '欧**明'],
    ['王', '王*'],
    ['阿依古丽·买买提', '阿**丽·买*提'],
    ['司马相如', '司**如'],
    [' 王 小 明 ', '王*明'],
    ['John Smith', 'J. S.'],
    ['john smith', 'J. S.'],
    ['Grace', 'G.'],
    ['Mary-Jane  Watson', 'M. W.'],
    ['', ''],
  ])('masks %j as %j', (name, masked) => {
    expect(maskRealName(name)).toBe(masked);
  });

  it('never reveals the middle of a Chinese name', () => {
    expect(maskRealName('司马相如')).not.toMatch(/[相马]/u);
  });
});

describe('names that mock the statement', () => {
  it('refuses leaders’ names and the party’s, in Simplified and Traditional characters and in pinyin, with the reason', () => {
    for (const name of ['习近平', '習近平', '习近平万岁', 'Xi Jinping', 'xí jìnpíng', '毛泽东', '毛澤東', '李克强', '李克強', '温家宝', '共产党', '共產黨', '中国共产党', '共青团', '少先隊', 'GongChanDang', 'CCP'])
      expect({ name, check: checkPseudonym(name) }).toEqual({ name, check: { ok: false, reason: 'LEADER_OR_PARTY_NAME' } });
    expect(pseudonymProblemMessages.LEADER_OR_PARTY_NAME.en).toContain('leader');
  });

  it('lists every leader and organization in Traditional characters too (as OpenCC writes them)', () => {
    const listed = new Set([...PARAMOUNT_LEADERS, ...OTHER_LEADERS, ...PARTY_NAMES]);
    const hanzi = [...listed].filter((name) => /\p{Script=Han}/u.test(name));
    expect(hanzi.filter((name) => !listed.has(toTraditional(name)))).toEqual([]);
  });

  it('lets a real person be called 李强 or 李鹏, but not the paramount leaders or the party', () => {
    expect(checkRealName('李强')).toEqual({ ok: true, normalized: '李强' });
    expect(checkRealName('李鹏')).toEqual({ ok: true, normalized: '李鹏' });
    expect(checkRealName('习近平')).toEqual({ ok: false, reason: 'LEADER_OR_PARTY_NAME' });
    expect(checkRealName('中共')).toEqual({ ok: false, reason: 'LEADER_OR_PARTY_NAME' });
    expect(checkPseudonym('李强')).toEqual({ ok: false, reason: 'LEADER_OR_PARTY_NAME' });
  });
});
