/**
 * Cases from Bitcoin Core's src/test/descriptor_tests.cpp (private form, public form, scripts,
 * key paths) and its CheckUnparsable errors as today's descriptor.cpp words them (with the
 * "pkh(): " style prefixes), plus what expand() gives the wallet.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { hash160 as hash160Of } from '../../../src/crypto/hash.js';
import { toHex } from '../../../src/encoding/hex.js';
import { HARDENED } from '../../../src/wallet/keys/index.js';
import { DescriptorError, inferDescriptor, parseDescriptor } from '../../../src/wallet/descriptors/index.js';

const network = mainnet;
const H = HARDENED;
const WIF = 'L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1';
const PUB = '03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd';
const body = (t: string) => t.split('#')[0]!;

interface CoreCheck {
  prv: string;
  pub: string;
  range?: boolean;
  /** Expanding needs the private key (hardened steps). */
  hardened?: boolean;
  /** Scripts per position (one position when not ranged), each possibly several (combo). */
  scripts: string[][];
  /** Key paths (origin paths) seen over all positions. */
  paths?: number[][];
}

const CHECKS: CoreCheck[] = [
  {
    prv: `combo(${WIF})`,
    pub: `combo(${PUB})`,
    scripts: [
      [
        `21${PUB}ac`,
        '76a9149a1c78a507689f6f54b847ad1cef1e614ee23f1e88ac',
        '00149a1c78a507689f6f54b847ad1cef1e614ee23f1e',
        'a91484ab21b1b2fd065d4504ff693d832434b6108d7b87',
      ],
    ],
  },
  {
    prv: 'combo(5KYZdUEo39z3FPrtuX2QbbwGnNP5zTd7yyr2SC1j299sBCnWjss)',
    pub: 'combo(04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235)',
    scripts: [
      [
        '4104a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235ac',
        '76a914b5bd079c4d57cc7fc28ecf8213a6b791625b818388ac',
      ],
    ],
  },
  {
    prv: `sh(wpkh(${WIF}))`,
    pub: `sh(wpkh(${PUB}))`,
    scripts: [['a91484ab21b1b2fd065d4504ff693d832434b6108d7b87']],
  },
  {
    prv: `sh(wsh(pk(${WIF})))`,
    pub: `sh(wsh(pk(${PUB})))`,
    scripts: [['a91472d0c5a3bfad8c3e7bd5303a72b94240e80b6f1787']],
  },
  {
    prv: 'combo([01234567]xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc)',
    pub: 'combo([01234567]xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL)',
    scripts: [
      [
        '2102d2b36900396c9282fa14628566582f206a5dd0bcc8d5e892611806cafb0301f0ac',
        '76a91431a507b815593dfc51ffc7245ae7e5aee304246e88ac',
        '001431a507b815593dfc51ffc7245ae7e5aee304246e',
        'a9142aafb926eb247cb18240a7f4c07983ad1f37922687',
      ],
    ],
    paths: [[]],
  },
  {
    prv: "pkh(xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U/2147483647'/0)",
    pub: "pkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/2147483647'/0)",
    hardened: true,
    scripts: [['76a914ebdc90806a9c4356c1c88e42216611e1cb4c1c1788ac']],
    paths: [[0xffffffff, 0]],
  },
  {
    prv: "sh(wpkh(xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi/10/20/30/40/*'))",
    pub: "sh(wpkh(xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8/10/20/30/40/*'))",
    range: true,
    hardened: true,
    scripts: [
      ['a9149a4d9901d6af519b2a23d4a2f51650fcba87ce7b87'],
      ['a914bed59fc0024fae941d6e20a3b44a109ae740129287'],
      ['a9148483aa1116eb9c05c482a72bada4b1db24af654387'],
    ],
    paths: [
      [10, 20, 30, 40, H],
      [10, 20, 30, 40, H + 1],
      [10, 20, 30, 40, H + 2],
    ],
  },
  {
    prv: 'combo(xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334/*)',
    pub: 'combo(xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV/*)',
    range: true,
    scripts: [
      [
        '2102df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e076ac',
        '76a914f90e3178ca25f2c808dc76624032d352fdbdfaf288ac',
        '0014f90e3178ca25f2c808dc76624032d352fdbdfaf2',
        'a91408f3ea8c68d4a7585bf9e8bda226723f70e445f087',
      ],
      [
        '21032869a233c9adff9a994e4966e5b821fd5bac066da6c3112488dc52383b4a98ecac',
        '76a914a8409d1b6dfb1ed2a3e8aa5e0ef2ff26b15b75b788ac',
        '0014a8409d1b6dfb1ed2a3e8aa5e0ef2ff26b15b75b7',
        'a91473e39884cb71ae4e5ac9739e9225026c99763e6687',
      ],
    ],
    paths: [[0], [1]],
  },
  {
    prv: "sh(multi(2,[00000000/111'/222]xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc,xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L/0))#ggrsrxfy",
    pub: "sh(multi(2,[00000000/111'/222]xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL,xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y/0))#tjg09x5t",
    scripts: [['a91445a9a622a8b0a1269944be477640eedc447bbd8487']],
    paths: [[H + 111, 222], [0]],
  },
];

describe("Core's descriptor_tests", () => {
  for (const c of CHECKS) {
    it(`checks ${body(c.prv).slice(0, 50)}…`, () => {
      const prv = parseDescriptor(c.prv, { network });
      const pub = parseDescriptor(c.pub, { network });
      assert.ok(prv.hasPrivateKeys && !pub.hasPrivateKeys);
      for (const d of [prv, pub]) {
        assert.equal(body(d.toString()), body(c.pub));
        assert.equal(d.isRange, c.range === true);
      }
      assert.equal(body(prv.toPrivateString()), body(c.prv));
      // Without private keys, the private form is the public one.
      assert.equal(pub.toPrivateString(), pub.toString());
      if (c.pub.includes('#')) assert.equal(prv.toString(), c.pub);
      const seen = new Set<string>();
      c.scripts.forEach((expected, pos) => {
        const outputs = prv.expandAll(pos);
        assert.deepEqual(
          outputs.map((o) => toHex(o.scriptPubKey)),
          expected,
        );
        if (!c.hardened) {
          assert.deepEqual(
            pub.expandAll(pos).map((o) => toHex(o.scriptPubKey)),
            expected,
          );
        }
        for (const k of outputs[0]!.keys) seen.add(JSON.stringify(k.origin.path));
      });
      if (c.paths !== undefined)
        assert.deepEqual([...seen].sort(), c.paths.map((p) => JSON.stringify(p)).sort());
    });
  }

  it("accepts 'h' wherever Core accepts \"'\", and prints the marker it was given", () => {
    const withH = CHECKS[6]!.prv.replaceAll("'", 'h');
    const d = parseDescriptor(withH, { network });
    assert.equal(body(d.toString()), body(CHECKS[6]!.pub).replaceAll("'", 'h'));
    assert.equal(toHex(d.expand(1).scriptPubKey), 'a914bed59fc0024fae941d6e20a3b44a109ae740129287');
  });

  const KEY16 = Array.from({ length: 17 }, () => PUB);
  const UNPARSABLE: [string, string][] = [
    [
      'sh(wpkh(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5))',
      "wpkh(): Pubkey '03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5' is invalid",
    ],
    [
      `pkh(deadbeef/1/2'/3/4']${PUB})`,
      "pkh(): Key origin start '[ character expected but not found, got 'd' instead",
    ],
    [`pkh([deadbeef]/1/2'/3/4']${PUB})`, "pkh(): Multiple ']' characters found for a single pubkey"],
    [
      'combo([012345678]xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL)',
      'combo(): Fingerprint is not 4 bytes (9 characters instead of 8 characters)',
    ],
    [`wsh(multi(2,[aaaaaaaa],${PUB}))`, 'Multi: No key provided'],
    [`wsh(multi(2,[aaagaaaa]${PUB},${PUB}))`, "Multi: Fingerprint 'aaagaaaa' is not hex"],
    [
      `multi(3,${PUB},${PUB},${PUB},${PUB})`,
      'Cannot have 4 pubkeys in bare multisig; only at most 3 pubkeys',
    ],
    [
      `wsh(multi(1,${[...KEY16, PUB, PUB, PUB, PUB].join(',')}))`,
      'Cannot have 21 keys in multisig; must have between 1 and 20 keys, inclusive',
    ],
    [`sh(multi(1,${KEY16.join(',')}))`, 'P2SH script is too large, 581 bytes is larger than 520 bytes'],
    [`multi(1,${PUB}x)`, `Multi: key '${PUB}x' is not valid`],
    [`sh(combo(${PUB}))`, 'Can only have combo() at top level'],
    [`wsh(sh(pk(${PUB})))`, 'Can only have sh() at top level'],
    [`sh(pk(${PUB}),pk(${PUB}))`, ''],
    [`pk(${PUB}))`, ''],
    [`foo(${PUB})`, `'foo(${PUB})' is not a valid descriptor function`],
    [`multi(1,${PUB}`, `'multi(1,${PUB}' is not a valid descriptor function`],
    [
      `multi(2;${PUB})`,
      "Multi threshold '2;03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd' is not valid",
    ],
    [`multi_a(1,${PUB})`, 'Can only have multi_a/sortedmulti_a inside tr()'],
    [`rawtr(${PUB.slice(2)},${PUB.slice(2)})`, 'rawtr(): only one key expected.'],
    [`tr(${PUB.slice(2)},{pk(${PUB.slice(2)})})`, "tr(): expected ',' after script expression"],
    [`tr(${PUB.slice(2)},pk(${PUB.slice(2)})x)`, `'pk(${PUB.slice(2)})x' is not a valid descriptor function`],
    [
      `tr(${PUB.slice(2)},pk(${PUB.slice(2)}),pk(${PUB.slice(2)}))`,
      "tr(): expected ')' after script expression",
    ],
    [
      `tr(${PUB.slice(2)},{pk(${PUB.slice(2)}),pk(${PUB.slice(2)}))`,
      "tr(): expected '}' after script expression",
    ],
    [
      `tr(${PUB.slice(2)},multi(1,${PUB}))`,
      'Can only have multi/sortedmulti at top level, in sh(), or in wsh()',
    ],
    [
      `tr(${PUB.slice(2)},and_v(v:pk(${PUB}),older(1)))`,
      `Miniscript expressions are not supported by Tally yet: 'and_v(v:pk(${PUB}),older(1))'`,
    ],
    [
      `wsh(and_v(v:pk(${PUB}),older(144)))`,
      `Miniscript expressions are not supported by Tally yet: 'and_v(v:pk(${PUB}),older(144))'`,
    ],
    [`and_v(v:pk(${PUB}),older(144))`, 'Miniscript expressions can only be used in wsh or tr.'],
    ['addr(bcrt1qjqmxmkpmxt80xz4y3746zgt0q3u3ferr34acd5)', 'Address is not valid'],
    ['raw()', 'Raw script is not hex'],
    ['raw(abc)', 'Raw script is not hex'],
  ];
  for (const [text, message] of UNPARSABLE) {
    it(`rejects ${text.slice(0, 50)}…`, () => {
      assert.throws(
        () => parseDescriptor(text, { network }),
        (err: unknown) => err instanceof DescriptorError && err.kind === 'parse' && err.message === message,
      );
    });
  }
});

describe('expand() for the wallet', () => {
  it('gives redeem and witness scripts, output types and keys', () => {
    const d = parseDescriptor(`sh(wsh(multi(1,[deadbeef/48h/0h/0h/2h]${PUB},${PUB})))`, { network });
    const o = d.expand();
    assert.equal(o.outputType, 'p2sh-segwit');
    assert.equal(toHex(o.witnessScript!), `5121${PUB}21${PUB}52ae`);
    assert.equal(o.redeemScript!.length, 34); // the P2WSH program script
    assert.equal(o.keys.length, 1); // one key, twice: the explicit origin wins
    assert.equal(toHex(o.keys[0]!.origin.fingerprint), 'deadbeef');
    assert.deepEqual(o.keys[0]!.origin.path, [H + 48, H, H, H + 2]);

    assert.equal(parseDescriptor(`wpkh(${PUB})`, { network }).expand().outputType, 'bech32');
    assert.equal(parseDescriptor(`pkh(${PUB})`, { network }).outputType, 'legacy');
    assert.equal(parseDescriptor(`sh(pkh(${PUB}))`, { network }).outputType, 'legacy');
    assert.equal(parseDescriptor(`tr(${PUB})`, { network }).outputType, 'bech32m');
    assert.equal(parseDescriptor(`pk(${PUB})`, { network }).expand().outputType, undefined);
    assert.equal(parseDescriptor(`combo(${PUB})`, { network }).outputType, undefined);
    const combo = parseDescriptor(`combo(${PUB})`, { network });
    assert.equal(combo.isSingleType, false);
    assert.throws(() => combo.expand(), DescriptorError);
    assert.deepEqual(
      combo.expandAll().map((x) => x.outputType),
      [undefined, 'legacy', 'bech32', 'p2sh-segwit'],
    );
    assert.equal(combo.expandAll()[3]!.redeemScript!.length, 22);
  });

  it('knows what is solvable and which keys are private', () => {
    const addr = parseDescriptor('addr(3PUNyaW7M55oKWJ3kDukwk9bsKvryra15j)', { network });
    assert.equal(addr.isSolvable, false);
    assert.equal(addr.hasAllPrivateKeys, false);
    assert.equal(addr.outputType, 'legacy');
    assert.equal(parseDescriptor('raw(deadbeef)', { network }).isSolvable, false);
    assert.equal(parseDescriptor(`sh(wpkh(${PUB}))`, { network }).isSolvable, true);
    const mixed = parseDescriptor(
      `wsh(multi(1,${WIF},02df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e076))`,
      {
        network,
      },
    );
    assert.equal(mixed.hasPrivateKeys, true);
    assert.equal(mixed.hasAllPrivateKeys, false);
    assert.equal(
      body(mixed.toPrivateString()),
      `wsh(multi(1,${WIF},02df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e076))`,
    );
    const wif = mixed.expand().keys.find((k) => toHex(k.pubkey) === PUB)!;
    assert.equal(wif.privateKey?.length, 32);
  });

  it('encodes keys for the network it parsed on', () => {
    const tprv =
      'tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK';
    const d = parseDescriptor(`wpkh(${tprv}/1/1/*)`, { network: regtest });
    assert.ok(
      d
        .toString()
        .startsWith(
          'wpkh(tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B/1/1/*)#',
        ),
    );
    assert.equal(body(d.toPrivateString()), `wpkh(${tprv}/1/1/*)`);
    const wif = parseDescriptor('pk(cVt4o7BGAig1UXywgGSmARhxMdzP5qvQsxKkSsc1XEkw3tDTQFpy)', {
      network: regtest,
    });
    assert.equal(body(wif.toPrivateString()), 'pk(cVt4o7BGAig1UXywgGSmARhxMdzP5qvQsxKkSsc1XEkw3tDTQFpy)');
  });

  it('round-trips every expanded script through inferDescriptor', () => {
    for (const c of CHECKS) {
      const d = parseDescriptor(c.prv, { network });
      for (const o of d.expandAll(0)) {
        const scripts = [o.redeemScript, o.witnessScript].filter((s) => s !== undefined);
        const pubkeys = o.keys.map((k) => k.pubkey);
        const inferred = inferDescriptor(o.scriptPubKey, {
          addressPrefixes: network.addressPrefixes,
          getPubKey: (id) => pubkeys.find((p) => toHex(hash160Of(p)) === toHex(id)),
          getScript: (id) => scripts.find((s) => toHex(hash160Of(s)) === toHex(id)),
        });
        assert.equal(toHex(inferred.expand().scriptPubKey), toHex(o.scriptPubKey));
        // Every script here came from keys the provider knows, so the inferred one is solvable.
        assert.equal(inferred.isSolvable, true, inferred.toString());
      }
    }
  });
});
