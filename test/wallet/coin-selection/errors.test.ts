import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COIN_SELECTION_ERRORS,
  CoinSelectionError,
  InsufficientFundsError,
} from '../../../src/wallet/coin-selection/errors.js';

describe('coin selection errors', () => {
  it('have one message per code', () => {
    const messages = Object.values(COIN_SELECTION_ERRORS);
    assert.equal(new Set(messages).size, messages.length);
  });
  it('InsufficientFundsError is the general refusal, in Core’s words', () => {
    const e = new InsufficientFundsError();
    assert.ok(e instanceof CoinSelectionError);
    assert.equal(e.code, 'insufficient-funds');
    assert.equal(e.message, 'Insufficient funds');
    assert.equal(e.name, 'InsufficientFundsError');
    assert.equal(
      new CoinSelectionError('amount-too-small-to-pay-fee').message,
      'The transaction amount is too small to pay the fee',
    );
  });
});
