import { describe, expect, it } from 'vitest';
import { regionOfNumber, regionOfPlaceName } from './number-region';

describe('regionOfPlaceName', () => {
  it('maps the geocoding data’s province + prefecture names to GB/T 2260 prefecture codes', () => {
    expect(regionOfPlaceName('湖南省长沙市')).toBe('430100');
    expect(regionOfPlaceName('湖北省恩施土家族苗族自治州')).toBe('422800');
    expect(regionOfPlaceName('新疆维吾尔自治区伊犁哈萨克自治州')).toBe('654000');
    expect(regionOfPlaceName('北京市')).toBe('110000');
  });

  it('falls back to the province for a prefecture it does not know (renamed since), and to nothing abroad', () => {
    expect(regionOfPlaceName('湖北省襄樊市')).toBe('420000');
    expect(regionOfPlaceName('Toronto')).toBeUndefined();
  });
});

describe('regionOfNumber', () => {
  it('places +86 mobiles by their prefix and fixed lines by their area code', async () => {
    expect(await regionOfNumber('+8618673112345')).toBe('430100');
    expect(await regionOfNumber('+8613912345678')).toBe('320400');
    expect(await regionOfNumber('+8613500755123')).toBe('210200');
    expect(await regionOfNumber('+8675523456789')).toBe('440300');
  });

  it('says nothing for numbers of other countries or ranges without data', async () => {
    expect(await regionOfNumber('+14165550123')).toBeUndefined();
    expect(await regionOfNumber('+8617299991234')).toBeUndefined();
  });
});
