import { describe, expect, it } from 'vitest';
import { Keyring, generateKeyringFile } from '../../crypto/keyring';
import { fakeClock } from '../../shared/clock';
import { isAppError } from '../../shared/app-error';
import { AntiAbuseGuard, FORM_TOKEN_MAX_AGE_MS, FORM_TOKEN_MIN_AGE_MS, POW_TTL_MS, leadingZeroBits, solvePow } from './anti-abuse';

const reasonOf = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    await work();
    return 'accepted';
  } catch (error) {
    return isAppError(error, 'ANTI_ABUSE_FAILED') ? error.details?.reason : error;
  }
};

describe('AntiAbuseGuard', () => {
  const setup = () => {
    const clock = fakeClock();
    const keyring = new Keyring(generateKeyringFile());
    return { clock, guard: new AntiAbuseGuard({ keyring, clock }, 8), keyring };
  };

  it('counts leading zero bits', async () => {
    expect(leadingZeroBits(Buffer.from([0, 0x0f]))).toBe(12);
    expect(leadingZeroBits(Buffer.from([0x80]))).toBe(0);
  });

  it('accepts a solved challenge once, and refuses wrong, forged, expired and reused ones', async () => {
    const { guard, clock, keyring } = setup();
    const pow = guard.issuePow();
    const nonce = solvePow(pow.challenge, pow.difficulty);
    expect(await reasonOf(() => guard.verifyPow({ challenge: pow.challenge, nonce: `${nonce}x` }))).toMatch(/POW_WRONG|accepted/);
    const fresh = guard.issuePow();
    expect(await reasonOf(() => guard.verifyPow({ challenge: fresh.challenge, nonce: solvePow(fresh.challenge, fresh.difficulty) }))).toBe('accepted');
    expect(await reasonOf(() => guard.verifyPow({ challenge: fresh.challenge, nonce: solvePow(fresh.challenge, fresh.difficulty) }))).toBe('POW_REUSED');
    const other = new AntiAbuseGuard({ keyring: new Keyring(generateKeyringFile()), clock }, 8).issuePow();
    expect(await reasonOf(() => guard.verifyPow({ challenge: other.challenge, nonce: solvePow(other.challenge, 8) }))).toBe('POW_INVALID');
    const easier = pow.challenge.replace('.8.', '.0.');
    expect(await reasonOf(() => guard.verifyPow({ challenge: easier, nonce: '0' }))).toBe('POW_INVALID');
    const late = guard.issuePow();
    clock.advance(POW_TTL_MS + 1);
    expect(await reasonOf(() => guard.verifyPow({ challenge: late.challenge, nonce: solvePow(late.challenge, 8) }))).toBe('POW_EXPIRED');
    // A second process with the same keys accepts this one's challenges.
    const twin = new AntiAbuseGuard({ keyring, clock }, 8);
    const shared = guard.issuePow();
    expect(await reasonOf(() => twin.verifyPow({ challenge: shared.challenge, nonce: solvePow(shared.challenge, 8) }))).toBe('accepted');
  });

  it('accepts a form token only after 3 seconds, once, only from the visitor it was issued to, for half an hour', async () => {
    const { guard, clock } = setup();
    const token = guard.issueFormToken('visitor-a');
    expect(await reasonOf(() => guard.verifyFormToken(token, 'visitor-a'))).toBe('FORM_TOKEN_TOO_YOUNG');
    clock.advance(FORM_TOKEN_MIN_AGE_MS);
    expect(await reasonOf(() => guard.verifyFormToken(token, 'visitor-b'))).toBe('FORM_TOKEN_INVALID');
    expect(await reasonOf(() => guard.verifyFormToken(token, 'visitor-a'))).toBe('accepted');
    expect(await reasonOf(() => guard.verifyFormToken(token, 'visitor-a'))).toBe('FORM_TOKEN_REUSED');
    expect(await reasonOf(() => guard.verifyFormToken(`${token.slice(0, -2)}xx`, 'visitor-a'))).toBe('FORM_TOKEN_INVALID');
    const stale = guard.issueFormToken('visitor-a');
    clock.advance(FORM_TOKEN_MAX_AGE_MS + 1);
    expect(FORM_TOKEN_MAX_AGE_MS).toBeLessThanOrEqual(30 * 60_000);
    expect(await reasonOf(() => guard.verifyFormToken(stale, 'visitor-a'))).toBe('FORM_TOKEN_EXPIRED');
    expect(await reasonOf(() => guard.check({}, 'form'))).toBe('EVIDENCE_MISSING');
  });

  it('takes form tokens from the HTML form only: the JSON API needs a solved proof of work', async () => {
    const { guard, clock } = setup();
    const token = guard.issueFormToken('visitor-a');
    clock.advance(FORM_TOKEN_MIN_AGE_MS);
    expect(await reasonOf(() => guard.check({ formToken: { token, clientKey: 'visitor-a' } }, 'api'))).toBe('POW_REQUIRED');
    expect(await reasonOf(() => guard.check({}, 'api'))).toBe('POW_REQUIRED');
    // Refused by the API, the token was not spent: the form still takes it.
    expect(await reasonOf(() => guard.check({ formToken: { token, clientKey: 'visitor-a' } }, 'form'))).toBe('accepted');
    const pow = guard.issuePow();
    expect(await reasonOf(() => guard.check({ pow: { challenge: pow.challenge, nonce: solvePow(pow.challenge, pow.difficulty) } }, 'api'))).toBe('accepted');
  });

  it('reports a filled honeypot as "store nothing" after the other checks passed', async () => {
    const { guard, clock } = setup();
    const token = guard.issueFormToken('visitor-a');
    clock.advance(FORM_TOKEN_MIN_AGE_MS);
    expect(await guard.check({ formToken: { token, clientKey: 'visitor-a' }, honeypot: 'http://spam.example' }, 'form')).toBe(false);
    const second = guard.issueFormToken('visitor-a');
    clock.advance(FORM_TOKEN_MIN_AGE_MS);
    expect(await guard.check({ formToken: { token: second, clientKey: 'visitor-a' }, honeypot: '' }, 'form')).toBe(true);
  });
});
