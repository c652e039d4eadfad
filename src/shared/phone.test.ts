import { describe, expect, it } from 'vitest';
import { maskPhone, parsePhoneNumber, phoneBlindIndexInput, regionOfChineseNumber } from './phone';

describe('parsePhoneNumber', () => {
  it('reads a Beijing fixed line in international form and places it in Beijing', () => {
    expect(parsePhoneNumber('+86 10 6512 3456')).toEqual({
      ok: true,
      e164: '+861065123456',
      country: 'CN',
      regionCode: '110000',
      kind: 'fixed',
    });
  });

  it('reads a Changsha number dialled nationally, as a volunteer copies it from a directory', () => {
    expect(parsePhoneNumber('0731-8888 1234')).toMatchObject({ ok: true, e164: '+8673188881234', regionCode: '430100', kind: 'fixed' });
  });

  it('reads the other usual ways of writing the same number to the same E.164', () => {
    for (const input of ['+86 731 8888 1234', '+86 (0731) 88881234', '0086 731 88881234', '０７３１－８８８８１２３４']) {
      expect(parsePhoneNumber(input), input).toMatchObject({ ok: true, e164: '+8673188881234' });
    }
  });

  it('knows a mobile number but not where it is', () => {
    const parsed = parsePhoneNumber('13800138000');
    expect(parsed).toEqual({ ok: true, e164: '+8613800138000', country: 'CN', kind: 'mobile', regionCode: undefined });
  });

  it('places fixed lines of other cities by area code', () => {
    expect(parsePhoneNumber('020-8888 1234')).toMatchObject({ ok: true, regionCode: '440100' });
    expect(parsePhoneNumber('0755-2345 6789')).toMatchObject({ ok: true, regionCode: '440300' });
    expect(parsePhoneNumber('0730-822 1234')).toMatchObject({ ok: true, regionCode: '430600' });
    expect(parsePhoneNumber('0734-822 1234')).toMatchObject({ ok: true, regionCode: '430400' });
  });

  it('tells Zhuzhou and Xiangtan from Changsha inside the shared 0731', () => {
    expect(parsePhoneNumber('0731-2888 1234')).toMatchObject({ ok: true, regionCode: '430200' });
    expect(parsePhoneNumber('0731-5829 2000')).toMatchObject({ ok: true, regionCode: '430300' });
  });

  it('names only the province for a code several prefectures share', () => {
    expect(parsePhoneNumber('0898-6666 1234')).toMatchObject({ ok: true, regionCode: '460000' });
    expect(parsePhoneNumber('0772-288 1234')).toMatchObject({ ok: true, regionCode: '450000' });
  });

  it('parses numbers of other countries without a region', () => {
    expect(parsePhoneNumber('+44 20 7946 0958')).toMatchObject({ ok: true, e164: '+442079460958', country: 'GB', regionCode: undefined });
    expect(parsePhoneNumber('416 979 1234', 'CA')).toMatchObject({ ok: true, e164: '+14169791234', country: 'CA' });
  });

  it.each([
    ['', 'NOT_A_NUMBER'],
    ['abc', 'NOT_A_NUMBER'],
    ['call me maybe', 'NOT_A_NUMBER'],
    ['12345', 'TOO_SHORT'],
    ['1380013800012345', 'TOO_LONG'],
    ['010-6512', 'INVALID'],
    ['+999 1234 5678', 'INVALID'],
  ])('refuses %j as %s', (input, reason) => {
    expect(parsePhoneNumber(input)).toEqual({ ok: false, reason });
  });
});

describe('regionOfChineseNumber', () => {
  it('reads two-digit and three-digit area codes', () => {
    expect(regionOfChineseNumber('2188881234')).toBe('310000');
    expect(regionOfChineseNumber('57188881234')).toBe('330100');
    expect(regionOfChineseNumber('99188881234')).toBe('650100');
  });

  it('knows no region for numbers without an area code', () => {
    expect(regionOfChineseNumber('4008108888')).toBeUndefined();
  });
});

describe('phoneBlindIndexInput', () => {
  it('gives the same string for every spelling of one number', () => {
    expect(phoneBlindIndexInput('+86 138 0013 8000')).toBe('+8613800138000');
    expect(phoneBlindIndexInput('+8613800138000')).toBe('+8613800138000');
  });

  it('refuses to produce a hash input for garbage', () => {
    expect(() => phoneBlindIndexInput('not a phone')).toThrow(RangeError);
  });
});

describe('maskPhone', () => {
  it('keeps the country code, the first three and the last four digits', () => {
    expect(maskPhone('+8613812345678')).toBe('+86 138****5678');
    expect(maskPhone('+861065123456')).toBe('+86 106***3456');
  });

  it('keeps only the last two digits of a short number', () => {
    expect(maskPhone('+85221234567')).toBe('+852 ******67');
  });

  it('shows nothing of a value that is not a phone number', () => {
    expect(maskPhone('garbage')).toBe('****');
  });
});
