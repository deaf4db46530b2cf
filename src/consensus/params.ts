import { mainnet } from './networks/main.js';
import { regtest } from './networks/regtest.js';
import { testnet } from './networks/testnet.js';

/**
 * Network parameters: plain data, identical to Bitcoin Core's kernel/chainparams.cpp (and
 * chainparamsbase.cpp for RPC ports). Hashes are display-order hex, as Core and block explorers
 * show them; consumers convert with fromDisplayHex. Nothing here imports code.
 */
export type NetworkName = 'main' | 'testnet' | 'regtest';

/** Script verification flag names (Core's SCRIPT_VERIFY_*, without the prefix). */
export type ExceptionFlagName = 'P2SH' | 'WITNESS' | 'TAPROOT';

/** A block validated with fixed script flags instead of the usual ones (Core's script_flag_exceptions). */
export interface ScriptFlagException {
  readonly blockHash: string;
  /** Every flag listed; an empty list is SCRIPT_VERIFY_NONE. */
  readonly flags: readonly ExceptionFlagName[];
}

export interface GenesisParams {
  readonly time: number;
  readonly nonce: number;
  readonly bits: number;
  readonly version: number;
  /** Satoshis paid by the genesis coinbase (never spendable: it was never added to the UTXO set). */
  readonly reward: number;
  /** The text pushed by the coinbase scriptSig after the bits and the number 4. */
  readonly headline: string;
  /** Uncompressed public key (hex) paid by `<pubkey> OP_CHECKSIG`. */
  readonly outputPubKey: string;
  /** Expected hashes, asserted by tests exactly as Core asserts them at startup. */
  readonly hash: string;
  readonly merkleRoot: string;
}

export interface ConsensusParams {
  readonly hashGenesisBlock: string;
  readonly subsidyHalvingInterval: number;
  /** BIP16 (P2SH) became active on 1 Apr 2012; one earlier block violates it and is validated without. */
  readonly bip16ExceptionHash: string | null;
  readonly scriptFlagExceptions: readonly ScriptFlagException[];
  /** BIP34 (height in coinbase) activation height, and the block hash at that height. */
  readonly bip34Height: number;
  readonly bip34Hash: string | null;
  /** BIP65 (OP_CHECKLOCKTIMEVERIFY) activation height. */
  readonly bip65Height: number;
  /** BIP66 (strict DER signatures) activation height. */
  readonly bip66Height: number;
  /** BIP68/112/113 (relative lock-time, OP_CHECKSEQUENCEVERIFY, median time past) activation height. */
  readonly csvHeight: number;
  /** BIP141/143/147 (segregated witness, NULLDUMMY) activation height. */
  readonly segwitHeight: number;
  /** The easiest target allowed. */
  readonly powLimit: bigint;
  readonly powTargetTimespan: number;
  readonly powTargetSpacing: number;
  /** testnet's 20-minute rule: a block more than 2 * spacing after its parent may use powLimit. */
  readonly powAllowMinDifficultyBlocks: boolean;
  /** regtest: difficulty never changes. */
  readonly powNoRetargeting: boolean;
  /** BIP94 timewarp protection (testnet4 only; false for every network defined here). */
  readonly enforceBIP94: boolean;
  /** Core keeps this a constant (COINBASE_MATURITY); it is the same on every network. */
  readonly coinbaseMaturity: number;
  /**
   * Informational, not consensus: Core refuses to sync header chains with less work than
   * nMinimumChainWork, and skips script checks below defaultAssumeValid. Recorded from Core v30.
   */
  readonly minimumChainWork: bigint;
  readonly defaultAssumeValid: string | null;
}

export interface AddressPrefixes {
  /** Base58Check version byte of P2PKH addresses. */
  readonly pubKeyHash: number;
  /** Base58Check version byte of P2SH addresses. */
  readonly scriptHash: number;
  /** BIP173 human-readable part of segwit addresses. */
  readonly bech32: string;
}

export interface NetworkParams {
  readonly name: NetworkName;
  /** The 4 bytes every P2P message starts with (Core's pchMessageStart). */
  readonly messageStart: readonly [number, number, number, number];
  readonly defaultPort: number;
  readonly rpcPort: number;
  readonly genesis: GenesisParams;
  readonly consensus: ConsensusParams;
  readonly addressPrefixes: AddressPrefixes;
  /** Base58Check version byte of WIF private keys. */
  readonly wifPrefix: number;
  /** BIP32 extended key version bytes (xpub/xprv, tpub/tprv) as 32-bit big-endian numbers. */
  readonly extPublicKeyPrefix: number;
  readonly extSecretKeyPrefix: number;
}

/** Blocks per difficulty period: 2016 on main and testnet. */
export function difficultyAdjustmentInterval(
  params: Pick<ConsensusParams, 'powTargetTimespan' | 'powTargetSpacing'>,
): number {
  return params.powTargetTimespan / params.powTargetSpacing;
}

export const NETWORK_NAMES: readonly NetworkName[] = ['main', 'testnet', 'regtest'];

export function isNetworkName(name: string): name is NetworkName {
  return (NETWORK_NAMES as readonly string[]).includes(name);
}

/** The parameters of a network by name; `undefined` for an unknown name (callers report it). */
export function getNetwork(name: string): NetworkParams | undefined {
  switch (name) {
    case 'main':
      return mainnet;
    case 'testnet':
      return testnet;
    case 'regtest':
      return regtest;
    default:
      return undefined;
  }
}
