import type { ProtocolViolation } from './penalty.js';
import { MIN_PEER_PROTO_VERSION, PROTOCOL_VERSION, WTXID_RELAY_VERSION } from './wire/constants.js';
import type { NetMessage } from './wire/message.js';
import type { VersionMessage } from './wire/version.js';

/** The peer as the handshake left it. */
export interface RemotePeer {
  readonly version: VersionMessage;
  /** min(ours, theirs): what both sides understand. */
  readonly commonVersion: number;
  /** BIP339 negotiated: both sides sent `wtxidrelay`. */
  readonly wtxidRelay: boolean;
  /** BIP155: the peer asked for `addrv2`. */
  readonly sendAddrV2: boolean;
}

export interface HandshakeOptions {
  readonly inbound: boolean;
  readonly minPeerVersion?: number;
  /** Outbound only: services the peer must offer. */
  readonly requiredServices?: bigint;
  /** Whether a nonce is one of our own outbound connections' (we dialled ourselves). */
  readonly isOwnNonce?: (nonce: bigint) => boolean;
}

/** What the connection should do with one incoming message. */
export type HandshakeStep =
  /** The handshake is complete: the message is for the application. */
  | { readonly kind: 'deliver' }
  | { readonly kind: 'ignore' }
  | { readonly kind: 'violation'; readonly code: ProtocolViolation }
  /** Their `version` arrived: send ours if inbound, then `wtxidrelay` (if agreed), `sendaddrv2`, `verack`. */
  | { readonly kind: 'answer-version'; readonly sendVersion: boolean; readonly sendWtxidRelay: boolean }
  | { readonly kind: 'ready'; readonly remote: RemotePeer };

/**
 * The version handshake as Core's ProcessMessage runs it, as a pure state machine (no socket, no
 * timers), so each rule is testable on its own:
 * - nothing but `version` first (else misbehaviour); a second `version` is ignored;
 * - an inbound peer gets our `version` after sending theirs; both sides then send `wtxidrelay`
 *   (BIP339, when both speak 70016), `sendaddrv2` (BIP155) and `verack`;
 * - `wtxidrelay`/`sendaddrv2` after `verack` end the connection; other messages before `verack`
 *   are ignored ("Unsupported message prior to verack"); the peer's `verack` completes it.
 * `undefined` stands for a message of an unknown command.
 */
export class Handshake {
  private version: VersionMessage | undefined;
  private sentWtxidRelay = false;
  private peerWtxidRelay = false;
  private peerSendAddrV2 = false;
  private done: RemotePeer | undefined;

  constructor(private readonly options: HandshakeOptions) {}

  get remote(): RemotePeer | undefined {
    return this.done;
  }

  onMessage(message: NetMessage | undefined): HandshakeStep {
    if (message?.command === 'version') return this.onVersion(message);
    if (this.version === undefined) return { kind: 'violation', code: 'no-version-first' };
    if (this.done !== undefined) {
      if (message?.command === 'wtxidrelay' || message?.command === 'sendaddrv2') {
        return { kind: 'violation', code: 'late-negotiation' };
      }
      return message?.command === 'verack' ? { kind: 'ignore' } : { kind: 'deliver' };
    }
    switch (message?.command) {
      case 'wtxidrelay':
        if (this.version.version >= WTXID_RELAY_VERSION) this.peerWtxidRelay = true;
        return { kind: 'ignore' };
      case 'sendaddrv2':
        this.peerSendAddrV2 = true;
        return { kind: 'ignore' };
      case 'verack':
        this.done = {
          version: this.version,
          commonVersion: Math.min(this.version.version, PROTOCOL_VERSION),
          wtxidRelay: this.sentWtxidRelay && this.peerWtxidRelay,
          sendAddrV2: this.peerSendAddrV2,
        };
        return { kind: 'ready', remote: this.done };
      default:
        return { kind: 'ignore' };
    }
  }

  private onVersion(v: VersionMessage): HandshakeStep {
    if (this.version !== undefined) return { kind: 'ignore' };
    const o = this.options;
    if (v.version < (o.minPeerVersion ?? MIN_PEER_PROTO_VERSION))
      return { kind: 'violation', code: 'obsolete-version' };
    // Core checks only inbound connections: there the nonce is one we sent out on another socket.
    if (o.inbound && o.isOwnNonce?.(v.nonce) === true) return { kind: 'violation', code: 'self-connection' };
    const required = o.requiredServices ?? 0n;
    if (!o.inbound && (v.services & required) !== required)
      return { kind: 'violation', code: 'missing-services' };
    this.version = v;
    this.sentWtxidRelay = Math.min(v.version, PROTOCOL_VERSION) >= WTXID_RELAY_VERSION;
    return { kind: 'answer-version', sendVersion: o.inbound, sendWtxidRelay: this.sentWtxidRelay };
  }
}
