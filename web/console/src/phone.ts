import type { MetadataJson } from 'libphonenumber-js/core';
import minMetadata from 'libphonenumber-js/min/metadata';
import { maskPhoneWith, parsePhoneWith, type PhoneProblem } from '../../../src/shared/phone-core';

const METADATA: MetadataJson = minMetadata;

/**
 * A number typed in the workspace, checked with the small numbering plan (length and country) so
 * that a call can start even while the server is unreachable. The server checks it again with the
 * full plan, and says where it rings (`POST /api/calls/number-info`).
 */
export function parsePhone(input: string): { ok: true; e164: string } | { ok: false; reason: PhoneProblem } {
  const parsed = parsePhoneWith(METADATA, input, 'CN');
  return parsed.ok ? { ok: true, e164: parsed.phone.number } : parsed;
}

/** '+86 138****5678', as the lists show numbers. */
export function maskPhone(e164: string): string {
  return maskPhoneWith(METADATA, e164);
}
