/**
 * Protocol constants of Bitcoin Core's protocol.h, version.h and net_processing.cpp that the wire
 * format and its limits depend on. Values are Core's; the comment says where each one matters.
 */

/** The protocol version we speak: 70016 is BIP339 (wtxidrelay), the newest that changes messages. */
export const PROTOCOL_VERSION = 70016;
/** Core disconnects peers older than this (MIN_PEER_PROTO_VERSION, 2010's getheaders). */
export const MIN_PEER_PROTO_VERSION = 31800;
/** BIP130: `sendheaders` is understood from this version. */
export const SENDHEADERS_VERSION = 70012;
/** BIP133: `feefilter` is understood from this version. */
export const FEEFILTER_VERSION = 70013;
/** BIP152: compact blocks are understood from this version. */
export const SHORT_IDS_BLOCKS_VERSION = 70014;
/** BIP339: `wtxidrelay` may be sent between `version` and `verack` from this version. */
export const WTXID_RELAY_VERSION = 70016;

/** Service bits a node advertises in `version` and `addr` (Core's ServiceFlags). */
export const ServiceFlags = {
  NONE: 0n,
  /** Serves the full block chain. */
  NETWORK: 1n << 0n,
  /** BIP37 bloom filters. */
  BLOOM: 1n << 2n,
  /** BIP144 witness data in blocks and transactions. */
  WITNESS: 1n << 3n,
  /** BIP157 compact block filters. */
  COMPACT_FILTERS: 1n << 6n,
  /** BIP159: serves only the last 288 blocks. */
  NETWORK_LIMITED: 1n << 10n,
  /** BIP324 v2 encrypted transport. */
  P2P_V2: 1n << 11n,
} as const;

/** Core's MAX_PROTOCOL_MESSAGE_LENGTH: no payload may be larger (a block is at most 4 MB of weight). */
export const MAX_PROTOCOL_MESSAGE_LENGTH = 4_000_000;
/** Bytes in a message header: magic (4), command (12), length (4), checksum (4). */
export const MESSAGE_HEADER_SIZE = 24;
/** Bytes of the NUL-padded ASCII command field. */
export const COMMAND_SIZE = 12;

/** Core's MAX_INV_SZ: entries in one `inv`, `getdata` or `notfound`. */
export const MAX_INV_SIZE = 50_000;
/** Core's MAX_LOCATOR_SZ: hashes in a `getheaders`/`getblocks` locator. */
export const MAX_LOCATOR_SIZE = 101;
/** Core's MAX_HEADERS_RESULTS: headers in one `headers` message. */
export const MAX_HEADERS_RESULTS = 2_000;
/** Core's MAX_ADDR_TO_SEND: entries in one `addr` or `addrv2`. */
export const MAX_ADDR_TO_SEND = 1_000;
/** BIP155's limit on one address in `addrv2` (Core's MAX_ADDRV2_SIZE). */
export const MAX_ADDRV2_SIZE = 512;
/** Core's MAX_SUBVERSION_LENGTH: bytes of the user agent in `version`. */
export const MAX_SUBVERSION_LENGTH = 256;
