import { BlockValidationResult, TxValidationResult } from '../consensus/errors.js';
import type { WireErrorCode } from './wire/errors.js';

/**
 * THE mapping from what a peer did to what we do about it (Core's MaybePunishNodeForBlock and
 * MaybePunishNodeForTx in net_processing.cpp, Lodestar's PeerAction). Nothing else in the node
 * decides to punish a peer: callers describe the fact, this function decides.
 *
 * Actions:
 * - none: the peer may be honest (different policy, a race, data we asked for wrongly); keep it.
 * - disconnect: the connection is unusable or the peer is useless to us, but not provably hostile.
 * - discourage: the peer sent data no honest node sends. Disconnect it and prefer others when
 *   connecting or accepting (Core's banman "discouraged" set; never a hard ban).
 *
 * Since Core 28 a single misbehaviour discourages (the 0..100 score was removed); `score` keeps the
 * old scale for logs and for managers that still want one: 100 whenever the action is discourage.
 */
export type PeerActionKind = 'none' | 'disconnect' | 'discourage';

export interface PeerAction {
  readonly action: PeerActionKind;
  readonly score?: number;
  readonly reason: string;
}

/** Handshake and connection-level misbehaviour seen by the peer connection. */
export type ProtocolViolation =
  /** Any message before `version` (Core: Misbehaving "non-version message before version handshake"). */
  | 'no-version-first'
  /** `version` and `verack` did not complete in time (Core's peer connect timeout). */
  | 'handshake-timeout'
  /** The `version` nonce is one of ours: we connected to ourselves. */
  | 'self-connection'
  /** Protocol version below what we require (Core: "using obsolete version"). */
  | 'obsolete-version'
  /** An outbound peer lacks services we connected to it for (Core: "does not offer the expected services"). */
  | 'missing-services'
  /** `wtxidrelay` or `sendaddrv2` after `verack` (BIP339/BIP155: Core disconnects). */
  | 'late-negotiation'
  /** No `pong` for a `ping` within the timeout (Core's TIMEOUT_INTERVAL). */
  | 'ping-timeout'
  /** The peer does not read what we send, and our queue for it passed its hard limit. */
  | 'send-buffer-overflow';

export type PenaltyInput =
  | {
      readonly kind: 'block';
      readonly result: BlockValidationResult;
      /** The block came as a BIP152 compact block: its sender may not have validated it (allowed). */
      readonly viaCompactBlock?: boolean;
      /** Inbound peers are not discouraged for a cached-invalid block; outbound ones are. */
      readonly inbound?: boolean;
    }
  | { readonly kind: 'tx'; readonly result: TxValidationResult }
  | { readonly kind: 'wire'; readonly code: WireErrorCode; readonly command?: string }
  | { readonly kind: 'protocol'; readonly code: ProtocolViolation };

const NONE = (reason: string): PeerAction => ({ action: 'none', reason });
const DISCONNECT = (reason: string): PeerAction => ({ action: 'disconnect', reason });
const DISCOURAGE = (reason: string): PeerAction => ({ action: 'discourage', score: 100, reason });

function unreachable(value: never): never {
  throw new TypeError(`unhandled penalty input ${String(value)}`);
}

function forBlock(result: BlockValidationResult, viaCompactBlock: boolean, inbound: boolean): PeerAction {
  switch (result) {
    case BlockValidationResult.HEADER_LOW_WORK:
      // Not processed at all: the chain may simply have too little work (yet).
      return NONE('header chain has too little work');
    case BlockValidationResult.CONSENSUS:
    case BlockValidationResult.MUTATED:
      // A compact block's sender relays before full validation (BIP152 high-bandwidth mode), so
      // only a peer that sent the full block vouches for it.
      return viaCompactBlock
        ? NONE(`invalid block via compact block (${result})`)
        : DISCOURAGE(`invalid block (${result})`);
    case BlockValidationResult.CACHED_INVALID:
      // An outbound peer on a chain we know is invalid is useless and may be an eclipse attempt;
      // inbound peers can be innocent (old software), and compact block peers are exempt as above.
      return viaCompactBlock || inbound
        ? NONE('block already known invalid')
        : DISCOURAGE('outbound peer on a chain known invalid');
    case BlockValidationResult.INVALID_HEADER:
    case BlockValidationResult.INVALID_PREV:
      return DISCOURAGE(`invalid header or parent (${result})`);
    case BlockValidationResult.MISSING_PREV:
      // Core (since 28) discourages: honest peers announce connecting headers or answer getheaders.
      return DISCOURAGE('block or header does not connect');
    case BlockValidationResult.TIME_FUTURE:
      // May become valid: the peer's clock or ours may be off.
      return NONE('block time too far in the future');
    default:
      return unreachable(result);
  }
}

function forTx(result: TxValidationResult): PeerAction {
  switch (result) {
    case TxValidationResult.CONSENSUS:
      return DISCOURAGE('transaction invalid by consensus rules');
    // Conflicting (but not necessarily invalid) data, or a different policy: never punished.
    case TxValidationResult.INPUTS_NOT_STANDARD:
    case TxValidationResult.NOT_STANDARD:
    case TxValidationResult.MISSING_INPUTS:
    case TxValidationResult.PREMATURE_SPEND:
    case TxValidationResult.WITNESS_MUTATED:
    case TxValidationResult.WITNESS_STRIPPED:
    case TxValidationResult.CONFLICT:
    case TxValidationResult.MEMPOOL_POLICY:
    case TxValidationResult.NO_MEMPOOL:
    case TxValidationResult.RECONSIDERABLE:
    case TxValidationResult.UNKNOWN:
      return NONE(`transaction rejected (${result})`);
    default:
      return unreachable(result);
  }
}

/** Commands whose over-long lists Core punishes with Misbehaving (the others it ignores). */
const PUNISHED_LIST_COMMANDS = new Set(['inv', 'getdata', 'headers', 'addr', 'addrv2']);
/** Core disconnects, without discouraging, a peer sending a locator over 101 hashes. */
const LOCATOR_COMMANDS = new Set(['getheaders', 'getblocks']);

function forWire(code: WireErrorCode, command: string | undefined): PeerAction {
  const what = command === undefined ? code : `${code} in ${command}`;
  switch (code) {
    case 'bad-magic':
    case 'oversized':
      // The byte stream is lost (V1Transport fails the connection); not proof of malice.
      return DISCONNECT(what);
    case 'bad-command':
    case 'bad-checksum':
      // Core drops the one message and keeps reading (the stream is still in sync).
      return NONE(what);
    case 'malformed-payload':
      // Core logs the deserialization exception and carries on; but a `version` we cannot read
      // can never complete the handshake, so waiting for the timeout as Core does gains nothing.
      return command === 'version' ? DISCONNECT(what) : NONE(what);
    case 'too-many-items':
      if (command !== undefined && LOCATOR_COMMANDS.has(command)) return DISCONNECT(what);
      if (command !== undefined && PUNISHED_LIST_COMMANDS.has(command)) return DISCOURAGE(what);
      return NONE(what);
    default:
      return unreachable(code);
  }
}

function forProtocol(code: ProtocolViolation): PeerAction {
  switch (code) {
    case 'no-version-first':
      return DISCOURAGE('non-version message before version handshake');
    case 'handshake-timeout':
    case 'self-connection':
    case 'obsolete-version':
    case 'missing-services':
    case 'late-negotiation':
    case 'ping-timeout':
    case 'send-buffer-overflow':
      return DISCONNECT(code);
    default:
      return unreachable(code);
  }
}

export function penaltyFor(input: PenaltyInput): PeerAction {
  switch (input.kind) {
    case 'block':
      return forBlock(input.result, input.viaCompactBlock ?? false, input.inbound ?? false);
    case 'tx':
      return forTx(input.result);
    case 'wire':
      return forWire(input.code, input.command);
    case 'protocol':
      return forProtocol(input.code);
    default:
      return unreachable(input);
  }
}

/** Every protocol violation, for exhaustive tests. */
export const PROTOCOL_VIOLATIONS: readonly ProtocolViolation[] = [
  'no-version-first',
  'handshake-timeout',
  'self-connection',
  'obsolete-version',
  'missing-services',
  'late-negotiation',
  'ping-timeout',
  'send-buffer-overflow',
];
