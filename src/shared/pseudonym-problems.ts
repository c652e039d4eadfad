import type { LocalizedText } from './localized-text';

/** Why a pseudonym was refused, as a code the browser and the console translate. */
export type PseudonymProblem =
  | 'EMPTY'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'PLACEHOLDER'
  | 'PROFANITY_OR_INSULT'
  | 'LEADER_OR_PARTY_NAME'
  | 'REPEATED_CHARACTER'
  | 'KEYBOARD_RUN'
  | 'HAS_DIGITS'
  | 'HAS_PUNCTUATION_OR_SYMBOLS'
  | 'MIXED_SCRIPTS'
  | 'LATIN_GIBBERISH';

/** A sentence per problem, written to be read aloud by a volunteer or shown under the form field. */
export const pseudonymProblemMessages: Readonly<Record<PseudonymProblem, LocalizedText>> = {
  EMPTY: {
    en: 'Please enter a name or a pseudonym.',
    'zh-Hans': '请填写姓名或化名。',
    'zh-Hant': '請填寫姓名或化名。',
  },
  TOO_LONG: {
    en: 'A name can have at most 12 characters.',
    'zh-Hans': '名字最多 12 个字。',
    'zh-Hant': '名字最多 12 個字。',
  },
  TOO_SHORT: {
    en: 'A single letter is not a name. Please choose a pseudonym such as “Jin Fu”.',
    'zh-Hans': '一个字母不能作名字，请换一个化名，例如“金福”。',
    'zh-Hant': '一個字母不能作名字，請換一個化名，例如「金福」。',
  },
  PLACEHOLDER: {
    en: 'This looks like a placeholder rather than a name. Please choose a pseudonym such as “Jin Fu”.',
    'zh-Hans': '这像是占位的词，不是名字。请换一个化名，例如“金福”。',
    'zh-Hant': '這像是佔位的詞，不是名字。請換一個化名，例如「金福」。',
  },
  PROFANITY_OR_INSULT: {
    en: 'A statement cannot be published under an insult. Please choose another name.',
    'zh-Hans': '声明不能用骂人的话署名，请换一个名字。',
    'zh-Hant': '聲明不能用罵人的話署名，請換一個名字。',
  },
  LEADER_OR_PARTY_NAME: {
    en: 'A statement cannot be signed with the name of a party or state leader, or of the party and its organizations. Please choose another name.',
    'zh-Hans': '声明不能用党和国家领导人的名字或党、团、队组织的名称署名，请换一个名字。',
    'zh-Hant': '聲明不能用黨和國家領導人的名字或黨、團、隊組織的名稱署名，請換一個名字。',
  },
  REPEATED_CHARACTER: {
    en: 'The name only repeats the same character or group of characters. Please choose another.',
    'zh-Hans': '名字只是同一个字（或同一组字）的重复，请换一个。',
    'zh-Hant': '名字只是同一個字（或同一組字）的重複，請換一個。',
  },
  KEYBOARD_RUN: {
    en: 'This looks like keys typed in a row on the keyboard. Please enter a real name or a pseudonym.',
    'zh-Hans': '这像是在键盘上连着按出来的字母，请填写真名或化名。',
    'zh-Hant': '這像是在鍵盤上連著按出來的字母，請填寫真名或化名。',
  },
  HAS_DIGITS: {
    en: 'A name cannot contain digits.',
    'zh-Hans': '名字里不能有数字。',
    'zh-Hant': '名字裡不能有數字。',
  },
  HAS_PUNCTUATION_OR_SYMBOLS: {
    en: 'A name cannot contain punctuation or symbols (a middle dot, hyphen or apostrophe between letters is fine).',
    'zh-Hans': '名字里不能有标点或符号（字与字之间的间隔号“·”可以用）。',
    'zh-Hant': '名字裡不能有標點或符號（字與字之間的間隔號「·」可以用）。',
  },
  MIXED_SCRIPTS: {
    en: 'Please write the name either in Chinese characters or in Latin letters, not both.',
    'zh-Hans': '请只用汉字或只用拼音字母写名字，不要混用。',
    'zh-Hant': '請只用漢字或只用拼音字母寫名字，不要混用。',
  },
  LATIN_GIBBERISH: {
    en: 'This does not look like a name. Please enter a real name or a pseudonym.',
    'zh-Hans': '这不像是名字，请填写真名或化名。',
    'zh-Hant': '這不像是名字，請填寫真名或化名。',
  },
};

/**
 * Words people type when they mean "no name" (compared case-insensitively, without spaces). 张三
 * and 李四 are the Chinese John Doe. The real service refuses these because a statement signed
 * "test" or "无" counts nobody.
 */
// prettier-ignore
export const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  'test', 'testing', 'tester', 'demo', 'sample', 'example', 'null', 'undefined', 'none', 'nil', 'nobody',
  'n/a', 'name', 'noname', 'anonymous', 'anon', 'unknown', 'someone', 'somebody', 'johndoe', 'janedoe',
  'xxx', 'xx', 'x',
  '测试', '測試', '无', '無', '没有', '沒有', '匿名', '无名', '無名', '无名氏', '無名氏', '某某', '某人',
  '某', '姓名', '名字', '化名', '真名', '不详', '不詳', '未知', '保密', '不知道', '略', '空', '张三',
  '張三', '李四', '王五', '某甲', '某乙',
]);

/**
 * Insults that should not sign a public statement; matched as substrings, so only words that
 * cannot occur inside a real name belong here. Both scripts, since the console takes either.
 */
// prettier-ignore
export const INSULT_FRAGMENTS: readonly string[] = [
  '傻逼', '傻屄', '煞笔', '沙比', '傻b', '妈的', '媽的', '他妈', '他媽', '操你', '肏', '草泥马', '草泥馬',
  '王八蛋', '混蛋', '贱人', '賤人', '婊子', '狗屎', '去死', '滚蛋', '滾蛋', '废物', '廢物', '畜生', '畜牲',
  'fuck', 'shit', 'bitch', 'asshole', 'cunt', 'bastard', 'motherf',
];

/**
 * Party and state leaders, past and present, and the party and its organizations: a statement of
 * withdrawal "signed" by one of them mocks the registry (it has been tried). Matched as substrings
 * of the name without spaces, in Simplified and Traditional characters and in pinyin, so
 * "习近平万岁" and "Xi Jinping" are refused too. Pseudonyms are checked against all of them; a real
 * name only against `PARTY_NAMES` and the paramount leaders (`PARAMOUNT_LEADERS`), since people
 * really are called 李强 or 李鹏.
 */
// prettier-ignore
export const PARAMOUNT_LEADERS: readonly string[] = [
  '毛泽东', '毛澤東', '邓小平', '鄧小平', '江泽民', '江澤民', '胡锦涛', '胡錦濤', '习近平', '習近平',
  '毛主席', '习主席', '習主席', '习大大', '習大大', '习包子', '習包子',
  'maozedong', 'dengxiaoping', 'jiangzemin', 'hujintao', 'xijinping',
];

// prettier-ignore
export const OTHER_LEADERS: readonly string[] = [
  '周恩来', '周恩來', '刘少奇', '劉少奇', '朱德', '华国锋', '華國鋒', '胡耀邦', '赵紫阳', '趙紫陽',
  '李鹏', '李鵬', '朱镕基', '朱鎔基', '温家宝', '溫家寶', '李克强', '李克強', '李强', '李強',
  '王沪宁', '王滬寧', '赵乐际', '趙樂際', '蔡奇', '丁薛祥', '李希', '韩正', '韓正', '栗战书', '栗戰書',
  '汪洋', '俞正声', '俞正聲', '张德江', '張德江', '刘云山', '劉雲山', '王岐山', '张高丽', '張高麗',
  '彭丽媛', '彭麗媛',
  'zhouenlai', 'liushaoqi', 'huaguofeng', 'huyaobang', 'zhaoziyang', 'zhurongji', 'wenjiabao', 'likeqiang',
  'wanghuning', 'zhaoleji', 'dingxuexiang', 'hanzheng', 'lizhanshu', 'yuzhengsheng', 'zhangdejiang',
  'liuyunshan', 'wangqishan', 'zhanggaoli', 'pengliyuan',
];

// prettier-ignore
export const PARTY_NAMES: readonly string[] = [
  '共产党', '共產黨', '中共', '党中央', '黨中央', '中央委员会', '中央委員會', '共青团', '共青團',
  '共产主义青年团', '共產主義青年團', '少先队', '少先隊', '少年先锋队', '少年先鋒隊', '政治局',
  'gongchandang', 'zhonggong', 'gongqingtuan', 'shaoxiandui', 'communistparty', 'ccp', 'cpc',
];
