/**
 * Key-path steps inside descriptors, as Core's util/bip32.cpp parses and prints them: a decimal
 * uint32 below 2^31, optionally followed by ' or h for hardened. Unlike wallet/keys/path-string.ts
 * (one spelling per path), this accepts what Core accepts, e.g. leading zeros ("007").
 */
import { HARDENED } from '../keys/bip32.js';
import { DescriptorError } from './errors.js';

/** Which character a key expression prints for hardened steps: Core keeps the one it was given. */
export type HardenedMarker = "'" | 'h';

/** Core's ToIntegral<uint32_t>: decimal digits only (no sign, no spaces), at most 2^32-1. */
export function parseUint32(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const digits = text.replace(/^0+(?=.)/, '');
  if (digits.length > 10) return undefined;
  const n = Number(digits);
  return n <= 0xffffffff ? n : undefined;
}

/** One step: "0", "0'", "0h" → child number (hardened ones have bit 31 set). */
export function parseKeyPathElement(elem: string): { index: number; marker: HardenedMarker | undefined } {
  if (elem === '') throw new DescriptorError(`Key path value '${elem}' is not valid`);
  const last = elem[elem.length - 1];
  const marker = last === "'" || last === 'h' ? (last as HardenedMarker) : undefined;
  const number = parseUint32(marker === undefined ? elem : elem.slice(0, -1));
  if (number === undefined) throw new DescriptorError(`Key path value '${elem}' is not a valid uint32`);
  if (number >= HARDENED) throw new DescriptorError(`Key path value ${number} is out of range`);
  return { index: marker === undefined ? number : number + HARDENED, marker };
}

/**
 * Parses the steps after a key (or after an origin fingerprint). `state.marker` is updated with
 * the marker of every hardened step, so it ends as the last one used, as Core's `apostrophe` flag.
 */
export function parseKeyPath(steps: readonly string[], state: { marker: HardenedMarker }): number[] {
  const out: number[] = [];
  for (const step of steps) {
    const { index, marker } = parseKeyPathElement(step);
    if (marker !== undefined) state.marker = marker;
    out.push(index);
  }
  return out;
}

/** Core's FormatHDKeypath: "/44'/0'/0" (or with h), '' for an empty path. */
export function formatKeyPath(path: readonly number[], marker: HardenedMarker): string {
  let out = '';
  for (const i of path) out += i >= HARDENED ? `/${i - HARDENED}${marker}` : `/${i}`;
  return out;
}
