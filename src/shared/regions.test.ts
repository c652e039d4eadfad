import { describe, expect, it } from 'vitest';
import {
  getRegion,
  isValidRegionCode,
  isValidRegionInput,
  listCounties,
  listPrefectures,
  listProvinces,
  provinceOf,
  regionName,
  RegionInputSchema,
  regionTreeForPicker,
  type RegionPickerNode,
} from './regions';

describe('looking regions up', () => {
  it('knows 湖南省 430000 as a province', () => {
    expect(getRegion('430000')).toEqual({ code: '430000', name: '湖南省', level: 'province', provinceCode: '430000' });
  });

  it('knows 长沙市 as a prefecture of Hunan', () => {
    expect(getRegion('430100')).toMatchObject({ name: '长沙市', level: 'prefecture', provinceCode: '430000', prefectureCode: '430100' });
  });

  it('maps a Hunan county to its prefecture and to province 430000', () => {
    expect(getRegion('430121')).toMatchObject({ name: '长沙县', level: 'county', prefectureCode: '430100', provinceCode: '430000' });
    expect(provinceOf('430121')?.code).toBe('430000');
    expect(provinceOf('433101')?.name).toBe('湖南省'); // 吉首市, in 湘西土家族苗族自治州
  });

  it('maps districts of the municipalities straight to the municipality', () => {
    expect(getRegion('110105')).toMatchObject({ name: '朝阳区', level: 'county', provinceCode: '110000', prefectureCode: undefined });
    expect(provinceOf('500229')?.name).toBe('重庆市'); // 城口县, under the placeholder "县" in the data
  });

  it.each(['999999', '12345', 'abc', '430000x', '', '43', '4301', '110100', '130171'])('refuses %j', (code) => {
    expect(isValidRegionCode(code)).toBe(false);
    expect(isValidRegionInput(code)).toBe(false);
    expect(getRegion(code)).toBeUndefined();
    expect(provinceOf(code)).toBeUndefined();
  });

  it('accepts abroad and unknown as region inputs but not as division codes', () => {
    expect(isValidRegionInput('abroad')).toBe(true);
    expect(isValidRegionInput('unknown')).toBe(true);
    expect(isValidRegionInput('Abroad')).toBe(false);
    expect(isValidRegionCode('abroad')).toBe(false);
    expect(provinceOf('abroad')).toBeUndefined();
  });
});

describe('listing regions', () => {
  it('lists the 31 mainland province-level units plus Hong Kong and Macau', () => {
    const provinces = listProvinces();
    expect(provinces).toHaveLength(33);
    expect(provinces.every((region) => region.level === 'province' && /^\d{2}0000$/.test(region.code))).toBe(true);
    expect(provinces.map((region) => region.name)).toEqual(
      expect.arrayContaining(['北京市', '湖南省', '新疆维吾尔自治区', '香港特别行政区']),
    );
  });

  it("lists Hunan's 14 prefectures, and Changsha's counties", () => {
    const prefectures = listPrefectures('430000');
    expect(prefectures).toHaveLength(14);
    expect(prefectures.map((region) => region.name)).toEqual(
      expect.arrayContaining(['长沙市', '岳阳市', '衡阳市', '湘西土家族苗族自治州']),
    );
    expect(listCounties('430100').map((region) => region.name)).toEqual(expect.arrayContaining(['芙蓉区', '长沙县', '浏阳市']));
  });

  it("lists Beijing's districts where a picker expects prefectures, not the placeholder 市辖区", () => {
    const names = listPrefectures('110000').map((region) => region.name);
    expect(names).toHaveLength(16);
    expect(names).toEqual(expect.arrayContaining(['东城区', '海淀区', '延庆区']));
    expect(names).not.toContain('市辖区');
    expect(listPrefectures('500000').map((region) => region.name)).toEqual(expect.arrayContaining(['渝中区', '城口县']));
  });

  it('lists county-level cities governed by a province beside its prefectures', () => {
    const hubei = listPrefectures('420000').map((region) => region.name);
    expect(hubei).toEqual(expect.arrayContaining(['武汉市', '仙桃市', '神农架林区']));
    expect(hubei).not.toContain('省直辖县级行政区划');
  });

  it('lists nothing below the wrong level or an unknown code', () => {
    expect(listPrefectures('430100')).toEqual([]);
    expect(listCounties('430000')).toEqual([]);
    expect(listCounties('430121')).toEqual([]);
    expect(listCounties('441900')).toEqual([]); // 东莞市 has no counties
    expect(listPrefectures('999999')).toEqual([]);
  });

  it('leaves out the statistics-only development zones', () => {
    expect(getRegion('130171')).toBeUndefined(); // 石家庄高新技术产业开发区 in the data
    expect(listCounties('130100').some((region) => region.name.includes('开发区'))).toBe(false);
    expect(listCounties('130100').map((region) => region.name)).toContain('长安区');
  });
});

describe('regionName', () => {
  it.each([
    ['110000', 'Beijing'],
    ['430000', 'Hunan'],
    ['430100', 'Changsha'],
    ['500000', 'Chongqing'],
    ['610000', 'Shaanxi'],
    ['140000', 'Shanxi'],
    ['450000', 'Guangxi'],
    ['650000', 'Xinjiang'],
    ['150000', 'Inner Mongolia'],
    ['610100', "Xi'an"],
    ['433100', 'Xiangxi'],
    ['430121', 'Changsha County'],
    ['430181', 'Liuyang'],
    ['110105', 'Chaoyang District'],
    ['130726', 'Yu County'],
    ['653100', 'Kashi'],
    ['510117', 'Pidu District'],
    ['810000', 'Hong Kong'],
  ])('names %s %j in English', (code, english) => {
    expect(regionName(code, 'en')).toBe(english);
  });

  it('converts names to Traditional characters', () => {
    expect(regionName('430100', 'zh-Hant')).toBe('長沙市');
    expect(regionName('210100', 'zh-Hant')).toBe('瀋陽市');
    expect(regionName('430000', 'zh-Hans')).toBe('湖南省');
  });

  it('names the special answers and nothing else', () => {
    expect(regionName('abroad', 'zh-Hans')).toBe('海外');
    expect(regionName('unknown', 'en')).toBe('Unknown');
    expect(regionName('999999', 'en')).toBeUndefined();
  });
});

describe('regionTreeForPicker', () => {
  function find(nodes: readonly RegionPickerNode[], code: string): RegionPickerNode | undefined {
    return nodes.find((node) => node[0] === code);
  }

  it('nests counties under prefectures under provinces, in the requested locale', () => {
    const tree = regionTreeForPicker('zh-Hans');
    const hunan = find(tree, '430000');
    expect(hunan?.[1]).toBe('湖南省');
    const changsha = find(hunan?.[2] ?? [], '430100');
    expect(changsha?.[1]).toBe('长沙市');
    expect(find(changsha?.[2] ?? [], '430121')).toEqual(['430121', '长沙县']);
    expect(find(regionTreeForPicker('en'), '430000')?.[1]).toBe('Hunan');
  });

  it('holds every known code exactly once', () => {
    const codes: string[] = [];
    const walk = (nodes: readonly RegionPickerNode[]): void => {
      for (const [code, , children] of nodes) {
        codes.push(code);
        if (children !== undefined) walk(children);
      }
    };
    walk(regionTreeForPicker('zh-Hant'));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code) => isValidRegionCode(code))).toBe(true);
    expect(codes.length).toBeGreaterThan(3000);
  });

  it('stays small enough to send to a browser on a slow link', () => {
    expect(JSON.stringify(regionTreeForPicker('zh-Hans')).length).toBeLessThan(120_000);
  });
});

describe('RegionInputSchema', () => {
  it('accepts codes and the special answers, and refuses anything else', () => {
    expect(RegionInputSchema.parse(' 430121 ')).toBe('430121');
    expect(RegionInputSchema.parse('abroad')).toBe('abroad');
    expect(RegionInputSchema.safeParse('430000x').success).toBe(false);
    expect(RegionInputSchema.safeParse('999999').success).toBe(false);
  });
});
