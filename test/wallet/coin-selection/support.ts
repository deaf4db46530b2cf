import { feeForSize } from '../../../src/policy/fee-rate.js';
import { OutPoint } from '../../../src/primitives/outpoint.js';
import type { SelectionParams } from '../../../src/wallet/coin-selection/choose.js';
import { priceCoin, sortPool } from '../../../src/wallet/coin-selection/pool.js';
import type { CoinCandidate, PricedCoin, SortedPool } from '../../../src/wallet/coin-selection/types.js';

/**
 * Fixtures in the shape of Core's coinselection_tests.cpp: P2WPKH inputs (68 vB) and change (31 B),
 * long-term rate 10 sat/vB, discard rate 3 sat/vB, so the cost of change is 204 sat + the change fee.
 */
export const CENT = 1_000_000;
export const COIN = 100_000_000;
export const P2WPKH_INPUT_VSIZE = 68;
export const P2WPKH_OUTPUT_SIZE = 31;
/** Core's FEERATES: zero, the smallest, around the minimums, the dust and long-term rates, and huge. */
export const FEERATES = [0, 1, 99, 100, 315, 1000, 2345, 10_292, 59_764, 1_500_000];

let nextId = 0;

/** A distinct outpoint per call. */
export function outpoint(): OutPoint {
  const id = nextId++;
  const hash = new Uint8Array(32);
  for (let i = 0; i < 6; i++) hash[i] = Math.floor(id / 256 ** i) % 256;
  return new OutPoint(hash, id % 7);
}

export function candidate(value: number, fields: Partial<CoinCandidate> = {}): CoinCandidate {
  return {
    outpoint: outpoint(),
    value,
    inputWeight: P2WPKH_INPUT_VSIZE * 4,
    confirmations: 6,
    fromMe: false,
    ...fields,
  };
}

export interface TestParams extends SelectionParams {
  readonly discardFeeRate: number;
}

/** Core's init_cs_params(eff_feerate). */
export function csParams(effectiveFeeRate = 5000, overrides: Partial<TestParams> = {}): TestParams {
  const discardFeeRate = 3000;
  const changeFee = feeForSize(effectiveFeeRate, P2WPKH_OUTPUT_SIZE);
  const minViableChange = feeForSize(discardFeeRate, P2WPKH_INPUT_VSIZE);
  return {
    effectiveFeeRate,
    longTermFeeRate: 10_000,
    discardFeeRate,
    changeFee,
    minViableChange,
    costOfChange: minViableChange + changeFee,
    minChangeTarget: 50_000,
    subtractFeeOutputs: false,
    maxSelectionWeight: 400_000 - (11 + P2WPKH_OUTPUT_SIZE) * 4,
    changeOutputWeight: P2WPKH_OUTPUT_SIZE * 4,
    ...overrides,
  };
}

/** Core's MakeCoin: a coin whose effective value at `params` is `amount` (spent with `vsize` vbytes). */
export function makeCoin(amount: number, params: TestParams, vsize = P2WPKH_INPUT_VSIZE): PricedCoin {
  const fee = feeForSize(params.effectiveFeeRate, vsize);
  return priceCoin(
    candidate(amount + fee, { inputWeight: vsize * 4 }),
    params.effectiveFeeRate,
    params.longTermFeeRate,
    false,
  );
}

export function pool(amounts: readonly number[], params: TestParams, vsize?: number): SortedPool {
  return sortPool(amounts.map((a) => makeCoin(a, params, vsize)));
}

/** Effective values of a result, sorted, to compare with the expected amounts. */
export function amountsOf(inputs: readonly PricedCoin[]): number[] {
  return inputs.map((c) => c.effectiveValue).sort((a, b) => a - b);
}
