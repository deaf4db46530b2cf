/**
 * The test vectors of BIP380 (key expressions), BIP381 (pk, pkh, sh), BIP382 (wpkh, wsh), BIP383
 * (multi, sortedmulti), BIP385 (raw, addr) and BIP386 (tr), transcribed from the BIPs. Scripts of
 * ranged descriptors are listed for positions 0, 1 and 2. Expected errors are Core's messages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { toHex } from '../../../src/encoding/hex.js';
import { addChecksum, DescriptorError, parseDescriptor } from '../../../src/wallet/descriptors/index.js';

const network = mainnet;
const WIF_C = 'L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1';
const WIF_U = '5KYZdUEo39z3FPrtuX2QbbwGnNP5zTd7yyr2SC1j299sBCnWjss';
const PUB_C = '03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd';
const PUB_U =
  '04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235';
const XPUB_A =
  'xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL';
const XPRV_A =
  'xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc';
const XPRV_M =
  'xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U';
const MULTI16_KEYS = [
  '03669b8afcec803a0d323e9a17f3ea8e68e8abe5a278020a929adbec52421adbd0',
  '0260b2003c386519fc9eadf2b5cf124dd8eea4c4e68d5e154050a9346ea98ce600',
  '0362a74e399c39ed5593852a30147f2959b56bb827dfa3e60e464b02ccf87dc5e8',
  '0261345b53de74a4d721ef877c255429961b7e43714171ac06168d7e08c542a8b8',
  '02da72e8b46901a65d4374fe6315538d8f368557dda3a1dcf9ea903f3afe7314c8',
  '0318c82dd0b53fd3a932d16e0ba9e278fcc937c582d5781be626ff16e201f72286',
  '0297ccef1ef99f9d73dec9ad37476ddb232f1238aff877af19e72ba04493361009',
  '02e502cfd5c3f972fe9a3e2a18827820638f96b6f347e54d63deb839011fd5765d',
  '03e687710f0e3ebe81c1037074da939d409c0025f17eb86adb9427d28f0f7ae0e9',
  '02c04d3a5274952acdbc76987f3184b346a483d43be40874624b29e3692c1df5af',
  '02ed06e0f418b5b43a7ec01d1d7d27290fa15f75771cb69b642a51471c29c84acd',
  '036d46073cbb9ffee90473f3da429abc8de7f8751199da44485682a989a4bebb24',
  '02f5d1ff7c9029a80a4e36b9a5497027ef7f3e73384a4a94fbfe7c4e9164eec8bc',
  '02e41deffd1b7cce11cde209a781adcffdabd1b91c0ba0375857a2bfd9302419f3',
  '02d76625f7956a7fc505ab02556c23ee72d832f1bac391bcd2d3abce5710a13d06',
  '0399eb0a5487515802dc14544cf10b3666623762fbed2ec38a3975716e2c29c232',
].join(',');
const MULTI20_WIFS = [
  'KzoAz5CanayRKex3fSLQ2BwJpN7U52gZvxMyk78nDMHuqrUxuSJy',
  'KwGNz6YCCQtYvFzMtrC6D3tKTKdBBboMrLTsjr2NYVBwapCkn7Mr',
  'KxogYhiNfwxuswvXV66eFyKcCpm7dZ7TqHVqujHAVUjJxyivxQ9X',
  'L2BUNduTSyZwZjwNHynQTF14mv2uz2NRq5n5sYWTb4FkkmqgEE9f',
  'L1okJGHGn1kFjdXHKxXjwVVtmCMR2JA5QsbKCSpSb7ReQjezKeoD',
  'KxDCNSST75HFPaW5QKpzHtAyaCQC7p9Vo3FYfi2u4dXD1vgMiboK',
  'L5edQjFtnkcf5UWURn6UuuoFrabgDQUHdheKCziwN42aLwS3KizU',
  'KzF8UWFcEC7BYTq8Go1xVimMkDmyNYVmXV5PV7RuDicvAocoPB8i',
  'L3nHUboKG2w4VSJ5jYZ5CBM97oeK6YuKvfZxrefdShECcjEYKMWZ',
  'KyjHo36dWkYhimKmVVmQTq3gERv3pnqA4xFCpvUgbGDJad7eS8WE',
  'KwsfyHKRUTZPQtysN7M3tZ4GXTnuov5XRgjdF2XCG8faAPmFruRF',
  'KzCUbGhN9LJhdeFfL9zQgTJMjqxdBKEekRGZX24hXdgCNCijkkap',
  'KzgpMBwwsDLwkaC5UrmBgCYaBD2WgZ7PBoGYXR8KT7gCA9UTN5a3',
  'KyBXTPy4T7YG4q9tcAM3LkvfRpD1ybHMvcJ2ehaWXaSqeGUxEdkP',
  'KzJDe9iwJRPtKP2F2AoN6zBgzS7uiuAwhWCfGdNeYJ3PC1HNJ8M8',
  'L1xbHrxynrqLKkoYc4qtoQPx6uy5qYXR5ZDYVYBSRmCV5piU3JG9',
  'KzRedjSwMggebB3VufhbzpYJnvHfHe9kPJSjCU5QpJdAW3NSZxYS',
  'Kyjtp5858xL7JfeV4PNRCKy2t6XvgqNNepArGY9F9F1SSPqNEMs3',
  'L2D4RLHPiHBidkHS8ftx11jJk1hGFELvxh8LoxNQheaGT58dKenW',
  'KyLPZdwY4td98bKkXqEXTEBX3vwEYTQo1yyLjX2jKXA63GBpmSjv',
].join(',');

/** [descriptor, scripts at 0 (1, 2 when ranged)] */
const VALID: [string, string[]][] = [
  // BIP381
  [`pk(${WIF_C})`, [`21${PUB_C}ac`]],
  [`pk(${PUB_C})`, [`21${PUB_C}ac`]],
  [`pkh([deadbeef/1/2'/3/4']${WIF_C})`, ['76a9149a1c78a507689f6f54b847ad1cef1e614ee23f1e88ac']],
  [`pkh([deadbeef/1/2'/3/4']${PUB_C})`, ['76a9149a1c78a507689f6f54b847ad1cef1e614ee23f1e88ac']],
  [`pkh([deadbeef/1/2h/3/4h]${PUB_C})`, ['76a9149a1c78a507689f6f54b847ad1cef1e614ee23f1e88ac']],
  [`pk(${WIF_U})`, [`41${PUB_U}ac`]],
  [`pk(${PUB_U})`, [`41${PUB_U}ac`]],
  [`pkh(${WIF_U})`, ['76a914b5bd079c4d57cc7fc28ecf8213a6b791625b818388ac']],
  [`pkh(${PUB_U})`, ['76a914b5bd079c4d57cc7fc28ecf8213a6b791625b818388ac']],
  [`sh(pk(${WIF_C}))`, ['a9141857af51a5e516552b3086430fd8ce55f7c1a52487']],
  [`sh(pk(${PUB_C}))`, ['a9141857af51a5e516552b3086430fd8ce55f7c1a52487']],
  [`sh(pkh(${WIF_C}))`, ['a9141a31ad23bf49c247dd531a623c2ef57da3c400c587']],
  [`sh(pkh(${PUB_C}))`, ['a9141a31ad23bf49c247dd531a623c2ef57da3c400c587']],
  [`pkh(${XPRV_M}/2147483647'/0)`, ['76a914ebdc90806a9c4356c1c88e42216611e1cb4c1c1788ac']],
  [
    'pkh([bd16bee5/2147483647h]xpub69H7F5dQzmVd3vPuLKtcXJziMEQByuDidnX3YdwgtNsecY5HRGtAAQC5mXTt4dsv9RzyjgDjAQs9VGVV6ydYCHnprc9vvaA5YtqWyL6hyds/0)',
    ['76a914ebdc90806a9c4356c1c88e42216611e1cb4c1c1788ac'],
  ],
  [
    'pk(xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L/0)',
    ['210379e45b3cf75f9c5f9befd8e9506fb962f6a9d185ac87001ec44a8d3df8d4a9e3ac'],
  ],
  [
    'pk(xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y/0)',
    ['210379e45b3cf75f9c5f9befd8e9506fb962f6a9d185ac87001ec44a8d3df8d4a9e3ac'],
  ],
  // BIP382
  [`wpkh(${WIF_C})`, ['00149a1c78a507689f6f54b847ad1cef1e614ee23f1e']],
  [`wpkh(${PUB_C})`, ['00149a1c78a507689f6f54b847ad1cef1e614ee23f1e']],
  [
    "wpkh([ffffffff/13']xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt/1/2/0)",
    ['0014326b2249e3a25d5dc60935f044ee835d090ba859'],
  ],
  [
    "wpkh([ffffffff/13']xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH/1/2/*)",
    [
      '0014326b2249e3a25d5dc60935f044ee835d090ba859',
      '0014af0bd98abc2f2cae66e36896a39ffe2d32984fb7',
      '00141fa798efd1cbf95cebf912c031b8a4a6e9fb9f27',
    ],
  ],
  [
    "sh(wpkh(xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi/10/20/30/40/*'))",
    [
      'a9149a4d9901d6af519b2a23d4a2f51650fcba87ce7b87',
      'a914bed59fc0024fae941d6e20a3b44a109ae740129287',
      'a9148483aa1116eb9c05c482a72bada4b1db24af654387',
    ],
  ],
  [
    'sh(wpkh(xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi/10/20/30/40/*h))',
    [
      'a9149a4d9901d6af519b2a23d4a2f51650fcba87ce7b87',
      'a914bed59fc0024fae941d6e20a3b44a109ae740129287',
      'a9148483aa1116eb9c05c482a72bada4b1db24af654387',
    ],
  ],
  [`wsh(pkh(${WIF_C}))`, ['0020338e023079b91c58571b20e602d7805fb808c22473cbc391a41b1bd3a192e75b']],
  [`wsh(pkh(${PUB_C}))`, ['0020338e023079b91c58571b20e602d7805fb808c22473cbc391a41b1bd3a192e75b']],
  [`wsh(pk(${WIF_C}))`, ['00202e271faa2325c199d25d22e1ead982e45b64eeb4f31e73dbdf41bd4b5fec23fa']],
  [`wsh(pk(${PUB_C}))`, ['00202e271faa2325c199d25d22e1ead982e45b64eeb4f31e73dbdf41bd4b5fec23fa']],
  [`sh(wsh(pkh(${WIF_C})))`, ['a914b61b92e2ca21bac1e72a3ab859a742982bea960a87']],
  [`sh(wsh(pkh(${PUB_C})))`, ['a914b61b92e2ca21bac1e72a3ab859a742982bea960a87']],
  // BIP383
  [`multi(1,${WIF_C},${WIF_U})`, [`5121${PUB_C}41${PUB_U}52ae`]],
  [`multi(1,${PUB_C},${PUB_U})`, [`5121${PUB_C}41${PUB_U}52ae`]],
  [`sortedmulti(1,${PUB_U},${PUB_C})`, [`5121${PUB_C}41${PUB_U}52ae`]],
  [
    `sh(multi(2,[00000000/111'/222]${XPRV_A},xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L/0))`,
    ['a91445a9a622a8b0a1269944be477640eedc447bbd8487'],
  ],
  [
    `sortedmulti(2,${XPUB_A}/*,xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y/0/0/*)`,
    [
      '5221025d5fc65ebb8d44a5274b53bac21ff8307fec2334a32df05553459f8b1f7fe1b62102fbd47cc8034098f0e6a94c6aeee8528abf0a2153a5d8e46d325b7284c046784652ae',
      '52210264fd4d1f5dea8ded94c61e9641309349b62f27fbffe807291f664e286bfbe6472103f4ece6dfccfa37b211eb3d0af4d0c61dba9ef698622dc17eecdf764beeb005a652ae',
      '5221022ccabda84c30bad578b13c89eb3b9544ce149787e5b538175b1d1ba259cbb83321024d902e1a2fc7a8755ab5b694c575fce742c48d9ff192e63df5193e4c7afe1f9c52ae',
    ],
  ],
  [
    `wsh(multi(2,${XPRV_M}/2147483647'/0,xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt/1/2/*,xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi/10/20/30/40/*'))`,
    [
      '0020b92623201f3bb7c3771d45b2ad1d0351ea8fbf8cfe0a0e570264e1075fa1948f',
      '002036a08bbe4923af41cf4316817c93b8d37e2f635dd25cfff06bd50df6ae7ea203',
      '0020a96e7ab4607ca6b261bfe3245ffda9c746b28d3f59e83d34820ec0e2b36c139c',
    ],
  ],
  [`sh(wsh(multi(16,${MULTI16_KEYS})))`, ['a9147fc63e13dc25e8a95a3cee3d9a714ac3afd96f1e87']],
  [
    `wsh(multi(20,${MULTI20_WIFS}))`,
    ['0020376bd8344b8b6ebe504ff85ef743eaa1aa9272178223bcb6887e9378efb341ac'],
  ],
  [`sh(wsh(multi(20,${MULTI20_WIFS})))`, ['a914c2c9c510e9d7f92fd6131e94803a8d34a8ef675e87']],
  // BIP385
  ['raw(deadbeef)', ['deadbeef']],
  [`raw(5121${PUB_C}41${PUB_U}52ae)`, [`5121${PUB_C}41${PUB_U}52ae`]],
  ['raw(a9149a4d9901d6af519b2a23d4a2f51650fcba87ce7b87)', ['a9149a4d9901d6af519b2a23d4a2f51650fcba87ce7b87']],
  ['addr(3PUNyaW7M55oKWJ3kDukwk9bsKvryra15j)', ['a914eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee87']],
  // BIP386
  [
    'tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)',
    ['512077aab6e066f8a7419c5ab714c12c67d25007ed55a43cadcacb4d7a970a093f11'],
  ],
  [`tr(${WIF_C})`, ['512077aab6e066f8a7419c5ab714c12c67d25007ed55a43cadcacb4d7a970a093f11']],
  [
    `tr(${XPRV_A}/0/*,pk(${XPRV_A}/1/*))`,
    [
      '512078bc707124daa551b65af74de2ec128b7525e10f374dc67b64e00ce0ab8b3e12',
      '512001f0a02a17808c20134b78faab80ef93ffba82261ccef0a2314f5d62b6438f11',
      '512021024954fcec88237a9386fce80ef2ced5f1e91b422b26c59ccfc174c8d1ad25',
    ],
  ],
  [
    'tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd,pk(669b8afcec803a0d323e9a17f3ea8e68e8abe5a278020a929adbec52421adbd0))',
    ['512017cf18db381d836d8923b1bdb246cfcd818da1a9f0e6e7907f187f0b2f937754'],
  ],
  [
    `tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd,{pk(xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334/0),{{pk(${XPUB_A}),pk(02df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e076)},pk(${WIF_C})}})`,
    ['512071fff39599a7b78bc02623cbe814efebf1a404f5d8ad34ea80f213bd8943f574'],
  ],
];

/** [descriptor, Core's error message] */
const INVALID: [string, string][] = [
  // BIP381
  [`pk(pk(${PUB_C}))`, `pk(): key 'pk(${PUB_C})' is not valid`],
  [`pkh(pk(${PUB_C}))`, `pkh(): key 'pk(${PUB_C})' is not valid`],
  [`sh(${PUB_C})`, 'A function is needed within P2SH'],
  [`sh(sh(pkh(${PUB_C})))`, 'Can only have sh() at top level'],
  // BIP382
  [`wpkh(${WIF_U})`, 'wpkh(): Uncompressed keys are not allowed'],
  [`sh(wpkh(${WIF_U}))`, 'wpkh(): Uncompressed keys are not allowed'],
  [`wpkh(${PUB_U})`, 'wpkh(): Uncompressed keys are not allowed'],
  [`sh(wpkh(${PUB_U}))`, 'wpkh(): Uncompressed keys are not allowed'],
  [`wsh(pk(${WIF_U}))`, 'pk(): Uncompressed keys are not allowed'],
  [`wsh(pk(${PUB_U}))`, 'pk(): Uncompressed keys are not allowed'],
  [`wsh(wpkh(${PUB_C}))`, 'Can only have wpkh() at top level or inside sh()'],
  [`wsh(wsh(pkh(${PUB_C})))`, 'Can only have wsh() at top level or inside sh()'],
  [`sh(wsh(wsh(pkh(${PUB_C}))))`, 'Can only have wsh() at top level or inside sh()'],
  [`wpkh(wsh(pkh(${PUB_C})))`, `wpkh(): key 'wsh(pkh(${PUB_C}))' is not valid`],
  [`wsh(${PUB_C})`, 'A function is needed within P2WSH'],
  // BIP383
  [`sh(multi(16,${MULTI16_KEYS}))`, 'P2SH script is too large, 547 bytes is larger than 520 bytes'],
  [`multi(a,${PUB_C},${PUB_U})`, "Multi threshold 'a' is not valid"],
  [`multi(0,${PUB_C},${PUB_U})`, 'Multisig threshold cannot be 0, must be at least 1'],
  [
    `multi(3,${WIF_C},${WIF_U})`,
    'Multisig threshold cannot be larger than the number of keys; threshold is 3 but only 2 keys specified',
  ],
  // BIP385
  ['raw(asdf)', 'Raw script is not hex'],
  ['addr(asdf)', 'Address is not valid'],
  ['sh(raw(deadbeef))', 'Can only have raw() at top level'],
  ['wsh(raw(deadbeef))', 'Can only have raw() at top level'],
  ['sh(addr(3PUNyaW7M55oKWJ3kDukwk9bsKvryra15j))', 'Can only have addr() at top level'],
  ['wsh(addr(3PUNyaW7M55oKWJ3kDukwk9bsKvryra15j))', 'Can only have addr() at top level'],
  // BIP386
  [`tr(${WIF_U})`, 'tr(): Uncompressed keys are not allowed'],
  [`tr(${PUB_U})`, 'tr(): Uncompressed keys are not allowed'],
  [
    'wsh(tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd))',
    'Can only have tr at top level',
  ],
  [
    'sh(tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd))',
    'Can only have tr at top level',
  ],
  [
    `tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd, pkh(${WIF_C}))`,
    `' pkh(${WIF_C})' is not a valid descriptor function`,
  ],
];

/** An xprv followed by a hardened step or a hardened wildcard. */
const HARDENED_BELOW_XPRV = /xprv[1-9A-HJ-NP-Za-km-z]+(\/[0-9]+)*\/([0-9]+|\*)['h]/;

function parseError(text: string): string {
  try {
    parseDescriptor(text, { network });
  } catch (err) {
    assert.ok(err instanceof DescriptorError, String(err));
    return err.message;
  }
  assert.fail(`parsed: ${text}`);
}

describe('BIP381-386 descriptor vectors', () => {
  for (const [text, scripts] of VALID) {
    it(`expands ${text.slice(0, 60)}…`, () => {
      const desc = parseDescriptor(text, { network });
      assert.equal(desc.isRange, scripts.length > 1);
      for (const [i, script] of scripts.entries()) {
        assert.equal(toHex(desc.expand(i).scriptPubKey), script, `position ${i}`);
      }
      // The public form parses back to the same scripts (xprv and WIF replaced by public keys),
      // unless a hardened step follows the xprv: then an xpub cannot derive them (BIP32 CKDpub).
      const pub = parseDescriptor(desc.toString(), { network, requireChecksum: true });
      assert.equal(pub.hasPrivateKeys, false);
      if (HARDENED_BELOW_XPRV.test(text)) {
        assert.throws(() => pub.expand(0), {
          name: 'DescriptorError',
          message: 'Cannot derive script without private keys',
        });
      } else {
        for (const [i, script] of scripts.entries()) assert.equal(toHex(pub.expand(i).scriptPubKey), script);
      }
      // The private form gives the input back.
      assert.equal(desc.toPrivateString(), addChecksum(text));
    });
  }

  for (const [text, message] of INVALID) {
    it(`rejects ${text.slice(0, 60)}…`, () => assert.equal(parseError(text), message));
  }
});
