import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OnceStore } from '../../cluster/cluster';
import { MemoryOnceStore } from '../../cluster/memory';
import type { Deps } from '../deps';
import { AppError } from '../../shared/app-error';

/** Default proof-of-work difficulty in leading zero bits: about 65,000 SHA-256 hashes, ~0.5 s on a phone. */
export const DEFAULT_POW_DIFFICULTY = 16;
/** How long a proof-of-work challenge may be used. */
export const POW_TTL_MS = 10 * 60_000;
/** A no-JS form token is accepted no sooner than this after it was issued (a person reads and types). */
export const FORM_TOKEN_MIN_AGE_MS = 3_000;
/**
 * ... and no later than this: long enough to write a statement, short enough that a stock of
 * tokens collected in advance goes stale. A refused form comes back with everything typed and a
 * fresh token, so a slow writer loses nothing.
 */
export const FORM_TOKEN_MAX_AGE_MS = 30 * 60_000;

/** A proof-of-work challenge as `GET /api/public/pow` serves it. */
export interface PowChallenge {
  challenge: string;
  difficulty: number;
  expiresAt: number;
}

/** Anti-abuse evidence sent with a public submission. */
export interface AntiAbuseEvidence {
  pow?: { challenge: string; nonce: string };
  /**
   * The no-JS form's token and the opaque key of the visitor posting it (the daily-rotated hash of
   * the address the rate limits use): a token is accepted only from the visitor it was issued to.
   */
  formToken?: { token: string; clientKey: string };
  /** The hidden field people never see; bots fill it. */
  honeypot?: string;
}

/**
 * Where a submission came from: the JSON API must send a solved proof of work; only the HTML form
 * (which a browser without JavaScript posts) may send a form token instead.
 */
export type SubmissionChannel = 'api' | 'form';

/** The number of leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The proof a client computes: SHA-256 of `challenge:nonce` (UTF-8), with `difficulty` leading zero bits. */
export function powDigest(challenge: string, nonce: string): Buffer {
  return createHash('sha256').update(`${challenge}:${nonce}`, 'utf8').digest();
}

/** Finds a nonce for a challenge (tests, benchmarks and Node clients; browsers do the same with crypto.subtle). */
export function solvePow(challenge: string, difficulty: number): string {
  for (let nonce = 0; ; nonce++) {
    if (leadingZeroBits(powDigest(challenge, String(nonce))) >= difficulty) return String(nonce);
  }
}

/** What a form token's MAC is bound to: the visitor's key, so a token is worth nothing to anyone else. */
const formBinding = (clientKey: string) => `visitor:${clientKey}`;

const refuse = (reason: string, message: string) => new AppError('ANTI_ABUSE_FAILED', message, { details: { reason } });

/**
 * Stateless flood defences for the public form: HMAC-signed proof-of-work challenges and no-JS
 * form tokens, each usable once (remembered in memory until it expires). The signing key is derived
 * from the keyring, so every server process sharing the key file accepts the others' challenges.
 */
export class AntiAbuseGuard {
  private readonly key: Buffer;

  constructor(
    private readonly deps: Pick<Deps, 'keyring' | 'clock'>,
    readonly powDifficulty: number = DEFAULT_POW_DIFFICULTY,
    /** Used challenges and tokens, with the attempt that used them: shared by every server instance. */
    private readonly used: OnceStore = new MemoryOnceStore(deps.clock),
  ) {
    this.key = deps.keyring.blindIndex('anti-abuse.signing-key', 'v1');
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url').slice(0, 32);
  }

  /** `text.mac`; a `binding` (never written into the token) is covered by the MAC, so only its holder can use it. */
  private signed(text: string, binding = ''): string {
    return `${text}.${this.mac(binding === '' ? text : `${text}\n${binding}`)}`;
  }

  /** Splits `a.b.c.mac`, checking the MAC (and binding) in constant time; undefined when forged or malformed. */
  private opened(token: string, prefix: string, binding = ''): string[] | undefined {
    if (token.length > 200) return undefined;
    const at = token.lastIndexOf('.');
    if (at < 0) return undefined;
    const body = token.slice(0, at);
    const given = Buffer.from(token.slice(at + 1));
    const expected = Buffer.from(this.mac(binding === '' ? body : `${body}\n${binding}`));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const parts = body.split('.');
    return parts[0] === prefix ? parts.slice(1) : undefined;
  }

  /**
   * Marks a token used until `expiresAt`; false when it was used already, except by the same
   * attempt (a double click sends the same statement twice with its submission key: it is stored once anyway).
   */
  private useOnce(token: string, expiresAt: number, attemptId: string | undefined): Promise<boolean> {
    return this.used.claim(token, expiresAt, attemptId);
  }

  /** A fresh challenge. */
  issuePow(): PowChallenge {
    const expiresAt = this.deps.clock() + POW_TTL_MS;
    const challenge = this.signed(`p.${expiresAt.toString(36)}.${this.powDifficulty}.${randomBytes(12).toString('base64url')}`);
    return { challenge, difficulty: this.powDifficulty, expiresAt };
  }

  /** Throws ANTI_ABUSE_FAILED unless the nonce solves a genuine, unexpired, unused challenge. */
  async verifyPow(pow: { challenge: string; nonce: string }, attemptId?: string): Promise<void> {
    const parts = this.opened(pow.challenge, 'p');
    if (!parts || parts.length !== 3) throw refuse('POW_INVALID', 'The proof-of-work challenge is not one this server issued');
    const expiresAt = parseInt(parts[0] ?? '', 36);
    const difficulty = Number(parts[1]);
    if (!(expiresAt > this.deps.clock())) throw refuse('POW_EXPIRED', 'The proof-of-work challenge expired; fetch a new one');
    if (pow.nonce.length > 64 || leadingZeroBits(powDigest(pow.challenge, pow.nonce)) < difficulty) throw refuse('POW_WRONG', 'The proof of work does not solve the challenge');
    if (!(await this.useOnce(pow.challenge, expiresAt, attemptId))) throw refuse('POW_REUSED', 'This proof-of-work challenge was used already; fetch a new one');
  }

  /**
   * A token for the no-JS form of the visitor with `clientKey`, accepted from 3 s to 30 min after
   * now, once, and only from that visitor (the key changes daily, which also ends it).
   */
  issueFormToken(clientKey: string): string {
    return this.signed(`f.${this.deps.clock().toString(36)}.${randomBytes(12).toString('base64url')}`, formBinding(clientKey));
  }

  /** Throws ANTI_ABUSE_FAILED unless the form token is genuine, this visitor's, old enough, not too old and unused. */
  async verifyFormToken(token: string, clientKey: string, attemptId?: string): Promise<void> {
    const parts = this.opened(token, 'f', formBinding(clientKey));
    if (!parts || parts.length !== 2) throw refuse('FORM_TOKEN_INVALID', 'The form is not one this server issued for you; reload the page');
    const issuedAt = parseInt(parts[0] ?? '', 36);
    const age = this.deps.clock() - issuedAt;
    if (!(age >= FORM_TOKEN_MIN_AGE_MS)) throw refuse('FORM_TOKEN_TOO_YOUNG', 'The form was sent too quickly; wait a few seconds and send it again');
    if (age > FORM_TOKEN_MAX_AGE_MS) throw refuse('FORM_TOKEN_EXPIRED', 'The form expired; reload the page');
    if (!(await this.useOnce(token, issuedAt + FORM_TOKEN_MAX_AGE_MS, attemptId))) throw refuse('FORM_TOKEN_REUSED', 'This form was sent already; reload the page');
  }

  /**
   * Checks a submission's evidence: the JSON API needs a solved proof of work; the HTML form a proof
   * of work (script) or its form token (no script). Returns false when the honeypot is filled: the
   * caller answers as if it succeeded, storing nothing. Evidence is spent once, except by attempts
   * with the same `attemptId` (the same statement sent again with its submission key: they store one
   * statement between them).
   */
  async check(evidence: AntiAbuseEvidence, channel: SubmissionChannel, attemptId?: string): Promise<boolean> {
    if (evidence.pow) await this.verifyPow(evidence.pow, attemptId);
    else if (channel === 'api') throw refuse('POW_REQUIRED', 'Send a solved proof of work (GET /api/public/pow); form tokens are accepted only by the HTML form');
    else if (evidence.formToken !== undefined) await this.verifyFormToken(evidence.formToken.token, evidence.formToken.clientKey, attemptId);
    else throw refuse('EVIDENCE_MISSING', 'Send a proof of work or the form token');
    return evidence.honeypot === undefined || evidence.honeypot.trim() === '';
  }
}
