import { BufferReader } from '../../encoding/reader.js';
import { BufferWriter } from '../../encoding/writer.js';
import {
  type AddrMessage,
  type AddrV2Message,
  decodeAddr,
  decodeAddrV2,
  encodeAddr,
  encodeAddrV2,
  type GetAddrMessage,
  type SendAddrV2Message,
} from './addr.js';
import {
  type BlockMessage,
  decodeBlock,
  decodeMerkleBlock,
  encodeBlock,
  encodeMerkleBlock,
  type MerkleBlockMessage,
} from './blocks.js';
import {
  decodeFeeFilter,
  decodeSendCmpct,
  encodeFeeFilter,
  encodeSendCmpct,
  type FeeFilterMessage,
  type MempoolMessage,
  type SendCmpctMessage,
  type SendHeadersMessage,
  type WtxidRelayMessage,
} from './control.js';
import { toWireError } from './errors.js';
import { frameMessage, type Magic } from './framing.js';
import { decodeHeaders, encodeHeaders, type HeadersMessage } from './headers.js';
import { decodeInventory, encodeInventory, type InventoryMessage } from './inventory.js';
import { decodeLocator, encodeLocator, type LocatorMessage } from './locator.js';
import { decodePing, decodePong, encodeNonce, type PingMessage, type PongMessage } from './ping.js';
import { decodeTx, encodeTx, type TxMessage } from './tx.js';
import { decodeVersion, encodeVersion, type VerackMessage, type VersionMessage } from './version.js';

/** Every message of protocol 70016 that Tally reads or writes, discriminated by its command. */
export type NetMessage =
  | VersionMessage
  | VerackMessage
  | PingMessage
  | PongMessage
  | AddrMessage
  | AddrV2Message
  | GetAddrMessage
  | SendAddrV2Message
  | InventoryMessage<'inv'>
  | InventoryMessage<'getdata'>
  | InventoryMessage<'notfound'>
  | LocatorMessage<'getheaders'>
  | LocatorMessage<'getblocks'>
  | HeadersMessage
  | BlockMessage
  | TxMessage
  | MerkleBlockMessage
  | SendHeadersMessage
  | FeeFilterMessage
  | WtxidRelayMessage
  | SendCmpctMessage
  | MempoolMessage;

export type Command = NetMessage['command'];
export type MessageOf<C extends Command> = Extract<NetMessage, { command: C }>;

export interface EncodeOptions {
  /** Serialize blocks and transactions with witness data (BIP144). Default true. */
  readonly witness?: boolean;
}

interface Codec<M> {
  encode(w: BufferWriter, m: M, witness: boolean): void;
  decode(r: BufferReader): M;
}

/** A message whose payload is empty; Core ignores whatever a peer puts there anyway. */
function empty<C extends Command>(command: C): Codec<MessageOf<C>> {
  return { encode() {}, decode: () => ({ command }) as MessageOf<C> };
}

const CODECS: { readonly [C in Command]: Codec<MessageOf<C>> } = {
  version: { encode: encodeVersion, decode: decodeVersion },
  verack: empty('verack'),
  ping: { encode: encodeNonce, decode: decodePing },
  pong: { encode: encodeNonce, decode: decodePong },
  addr: { encode: encodeAddr, decode: decodeAddr },
  addrv2: { encode: encodeAddrV2, decode: decodeAddrV2 },
  getaddr: empty('getaddr'),
  sendaddrv2: empty('sendaddrv2'),
  inv: { encode: encodeInventory, decode: (r) => decodeInventory(r, 'inv') },
  getdata: { encode: encodeInventory, decode: (r) => decodeInventory(r, 'getdata') },
  notfound: { encode: encodeInventory, decode: (r) => decodeInventory(r, 'notfound') },
  getheaders: { encode: encodeLocator, decode: (r) => decodeLocator(r, 'getheaders') },
  getblocks: { encode: encodeLocator, decode: (r) => decodeLocator(r, 'getblocks') },
  headers: { encode: encodeHeaders, decode: decodeHeaders },
  block: { encode: encodeBlock, decode: decodeBlock },
  tx: { encode: encodeTx, decode: decodeTx },
  merkleblock: { encode: encodeMerkleBlock, decode: decodeMerkleBlock },
  sendheaders: empty('sendheaders'),
  feefilter: { encode: encodeFeeFilter, decode: decodeFeeFilter },
  wtxidrelay: empty('wtxidrelay'),
  sendcmpct: { encode: encodeSendCmpct, decode: decodeSendCmpct },
  mempool: empty('mempool'),
};

/** Every command we understand, for tests and for the parser's logging. */
export const COMMANDS: readonly Command[] = Object.keys(CODECS) as Command[];

export function isKnownCommand(command: string): command is Command {
  return Object.hasOwn(CODECS, command);
}

/**
 * The table is keyed by command and each entry typed for its own message, but TypeScript cannot
 * relate `CODECS[m.command]` to `m` (a correlated union), so the lookup is widened here, once.
 */
function codecFor(command: Command): Codec<NetMessage> {
  return CODECS[command] as unknown as Codec<NetMessage>;
}

function sizeHint(m: NetMessage): number {
  if (m.command === 'block') return 80 + m.block.txs.length * 300;
  if (m.command === 'headers') return 3 + m.headers.length * 81;
  if (m.command === 'inv' || m.command === 'getdata' || m.command === 'notfound')
    return 5 + m.items.length * 36;
  return 256;
}

/** The payload bytes of a message (without the 24-byte header). */
export function encodeMessage(m: NetMessage, options: EncodeOptions = {}): Uint8Array {
  const w = new BufferWriter(sizeHint(m));
  codecFor(m.command).encode(w, m, options.witness ?? true);
  return w.finish();
}

/** A complete frame (header and payload) ready for the socket. */
export function serializeMessage(magic: Magic, m: NetMessage, options: EncodeOptions = {}): Uint8Array {
  return frameMessage(magic, m.command, encodeMessage(m, options));
}

/**
 * Decodes a payload. Returns undefined for a command we do not know: Core ignores unknown
 * commands (including the obsolete `reject` and compact block messages we never ask for), and so
 * do we. Throws only WireError: malformed-payload with the DecodeError as cause, or too-many-items.
 * Bytes after the last field are ignored, as Core's handlers ignore them (BIP37 extended `version`
 * this way), so a decoded message need not re-encode to the same payload.
 */
export function decodeMessage(command: string, payload: Uint8Array): NetMessage | undefined {
  if (!isKnownCommand(command)) return undefined;
  try {
    return codecFor(command).decode(new BufferReader(payload));
  } catch (err) {
    throw toWireError(err, command);
  }
}
