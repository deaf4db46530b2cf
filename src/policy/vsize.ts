import { WITNESS_SCALE_FACTOR } from '../primitives/transaction.js';

/**
 * Core's GetVirtualTransactionSize: weight / 4 rounded up, but never less than the sigop cost times
 * `bytesPerSigop` (-bytespersigop), so a transaction dense in signature checks pays for the
 * block's sigop budget it uses as if that were block space.
 */
export function virtualSize(weight: number, sigOpCost: number, bytesPerSigop: number): number {
  const adjusted = Math.max(weight, sigOpCost * bytesPerSigop);
  return Math.floor((adjusted + WITNESS_SCALE_FACTOR - 1) / WITNESS_SCALE_FACTOR);
}
