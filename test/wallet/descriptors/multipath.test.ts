/** BIP389 multipath descriptors: the BIP's vectors, through parseDescriptors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { toHex } from '../../../src/encoding/hex.js';
import { DescriptorError, parseDescriptor, parseDescriptors } from '../../../src/wallet/descriptors/index.js';

const network = mainnet;
const XPUB_A =
  'xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL';
const XPUB_B =
  'xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y';
const XPUB_M =
  'xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB';
const XPUB_C =
  'xpub661MyMwAqRbcGDZQUKLqmWodYLcoBQnQH33yYkkF3jjxeLvY8qr2wWGEWkiKFaaQfJCoi3HeEq3Dc5DptfbCyjD38fNhSqtKc1UHaP4ba3t';
const XPRV_M =
  'xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U';
const XPUB_F =
  '[ffffffff/13h]xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH';

const VALID: [string, string[]][] = [
  [`pk(${XPUB_B}/<0;1>)`, [`pk(${XPUB_B}/0)`, `pk(${XPUB_B}/1)`]],
  [`pkh(${XPRV_M}/<2147483647h;0>/0)`, [`pkh(${XPRV_M}/2147483647h/0)`, `pkh(${XPRV_M}/0/0)`]],
  // The BIP's vector lacks its closing parenthesis.
  [`wpkh(${XPUB_F}/<1;3>/2/*)`, [`wpkh(${XPUB_F}/1/2/*)`, `wpkh(${XPUB_F}/3/2/*)`]],
  [
    `multi(2,${XPUB_A}/<1;2>/*,${XPUB_B}/<3;4>/0/*)`,
    [`multi(2,${XPUB_A}/1/*,${XPUB_B}/3/0/*)`, `multi(2,${XPUB_A}/2/*,${XPUB_B}/4/0/*)`],
  ],
  [`pkh(${XPUB_M}/<0;1;2>)`, [`pkh(${XPUB_M}/0)`, `pkh(${XPUB_M}/1)`, `pkh(${XPUB_M}/2)`]],
  [
    `sh(multi(2,${XPUB_A}/<1;2;3>/0/*,${XPUB_B}/0/*,${XPUB_C}/0/0/<3;4;5>/*))`,
    [1, 2, 3].map((i) => `sh(multi(2,${XPUB_A}/${i}/0/*,${XPUB_B}/0/*,${XPUB_C}/0/0/${i + 2}/*))`),
  ],
];

const INVALID: [string, string][] = [
  [`pkh(${XPRV_M}/<0;1>/<2;3>)`, 'Multiple multipath key path specifiers found'],
  [
    `pkh([deadbeef/<0;1>]${XPUB_M}/0)`,
    "Key path value '<0;1>' specifies multipath in a section where multipath is not allowed",
  ],
  [
    `tr(xpub661MyMwAqRbcF3yVrV2KyYetLMYA5mCbv4BhrKwUrFE9LZM6JRR1AEt8Jq4V4C8LwtTke6YEEdCZqgXp85YRk2j74EfJKhe3QybQ9kcUjs4/<6;7;8;9>/*,{pk(${XPUB_A}/<1;2;3>/0/*),pk(${XPUB_C}/0/0/<3;4;5>/*)})`,
    'tr(): Multipath subscripts have mismatched lengths',
  ],
  [
    `sh(multi(2,${XPUB_A}/<1;2;3>/0/*,${XPUB_B}/0/*,${XPUB_C}/0/0/<3;4>/*))`,
    'multi(): Multipath derivation paths have mismatched lengths',
  ],
  [`wpkh(${XPUB_M}/<>/*)`, 'Multipath key path specifiers must have at least two items'],
  [`wpkh(${XPUB_M}/0>/*)`, "wpkh(): Key path value '0>' is not a valid uint32"],
  [`wpkh(${XPUB_M}/<0/*)`, "wpkh(): Key path value '<0' is not a valid uint32"],
  [`wpkh(${XPUB_M}/<0;>/*)`, "Key path value '' is not valid"],
  [`wpkh(${XPUB_M}/<0;0h;0'>/*)`, `Duplicated key path value ${2 ** 31} in multipath specifier`],
];

describe('BIP389 multipath descriptors', () => {
  for (const [text, expansions] of VALID) {
    it(`expands ${text.slice(0, 50)}…`, () => {
      const descs = parseDescriptors(text, { network });
      assert.deepEqual(
        descs.map((d) => d.toPrivateString().split('#')[0]),
        expansions,
      );
      // Each expansion is the descriptor its text says.
      for (const [i, d] of descs.entries()) {
        const alone = parseDescriptor(expansions[i]!, { network });
        assert.equal(toHex(d.expandAll(0)[0]!.scriptPubKey), toHex(alone.expandAll(0)[0]!.scriptPubKey));
      }
    });
  }
  for (const [text, message] of INVALID) {
    it(`rejects ${text.slice(0, 50)}…`, () => {
      assert.throws(
        () => parseDescriptors(text, { network }),
        (err: unknown) => err instanceof DescriptorError && err.message === message,
      );
    });
  }

  it("prints expansions with 'h' and keeps plain descriptors as given", () => {
    const [a, b] = parseDescriptors(`pkh([deadbeef/1']${XPRV_M}/<0';1'>/0)`, { network });
    assert.equal(a!.toPrivateString().split('#')[0], `pkh([deadbeef/1h]${XPRV_M}/0h/0)`);
    assert.equal(b!.toPrivateString().split('#')[0], `pkh([deadbeef/1h]${XPRV_M}/1h/0)`);
    const [plain] = parseDescriptors(`pkh([deadbeef/1']${XPRV_M}/0'/0)`, { network });
    assert.equal(plain!.toPrivateString().split('#')[0], `pkh([deadbeef/1']${XPRV_M}/0'/0)`);
  });
});
