import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testnet } from '../../src/consensus/networks/testnet.js';
import { analyzePsbtJson, decodePsbtJson } from '../../src/rpc/json/psbt.js';
import { writeJson } from '../../src/rpc/json/write.js';
import { analyzePsbt } from '../../src/wallet/psbt/analyzer.js';
import { Psbt } from '../../src/wallet/psbt/psbt.js';

/**
 * decodepsbt against bitcoind's own output for a signed P2WSH input (a signet PSBT decoded by
 * bitcoin-cli 25+, published with a miniscript tutorial): member order, scripts without addresses
 * inside the PSBT maps, 'h' key paths and the fee from the UTXOs.
 */
const SIGNED =
  'cHNidP8BAF4CAAAAAftQLWvVAxW8iGeJ56r9oDUiWTaXb4+ucMQXlqWyMjJyAQAAAAD9////AbVKTAAAAAAAIlEg0PpghkiWOKrWzRhqnpDpq7PBWEHUW/tb6gVO5sKbPcQAAAAAAAEA6gIAAAABgf+Pe0wXu7jp+YHsleTmTky2T0KvuDYvcLZedzqhA0wAAAAAakcwRAIgZO+7J75T+DxYus/631RPjweMTX0ef71VyryG1I3vwioCIAmEpEWfuQzCPfE/6XijeaHFqLXBKflu+kwN4uI36AdCASECfPduaO9J6Rmd0nmxrVitLB689w5i29U0pjtup3UY4o39////AtNJTAAAAAAAGXapFHIz+x0iClwdVaxf5GHyqqJv6uVFiKxAS0wAAAAAACIAIERcUYEhVx+xHcjU1v8HtV6Yn1q0j4c15Jg9/vPmbY3uAAAAAAEBK0BLTAAAAAAAIgAgRFxRgSFXH7EdyNTW/we1XpifWrSPhzXkmD3+8+Ztje4iAgMnJROdSfH609l/t0ex7oExjlRCsmChN6ahQyGnkiuaZEcwRAIgQVHDIMpU31meK1gBF84EIS1mj7bpcY2cQXNOIDh2YZoCIFJW8TlWGtIUGYfLUTU/dA92Zj64T8QsPbfNSAWl0xMcAQEFQSEDJyUTnUnx+tPZf7dHse6BMY5UQrJgoTemoUMhp5IrmmSsc2R2qRRXTcGs8/LZ2IGpaDEP1vyyixnNoIitUrJoIgYCGHh1Tl8vYqaSOEPhU+R+SAgOMtIsAelPLumZ3M01jpcc1Ktm8TAAAIABAACAAAAAgAIAAIAAAAAAAAAAACIGAyclE51J8frT2X+3R7HugTGOVEKyYKE3pqFDIaeSK5pkHNfqKaEwAACAAQAAgAAAAIACAACAAAAAAAAAAAAAAA==';

const WSH = '0020445c518121571fb11dc8d4d6ff07b55e989f5ab48f8735e4983dfef3e66d8dee';
const WSH_ADDRESS = 'tb1qg3w9rqfp2u0mz8wg6nt07pa4t6vf7k4537rnteyc8hl08end3hhq9zamm6';
const wshScriptPubKey = {
  asm: '0 445c518121571fb11dc8d4d6ff07b55e989f5ab48f8735e4983dfef3e66d8dee',
  desc: `addr(${WSH_ADDRESS})#l5s83tep`,
  hex: WSH,
  address: WSH_ADDRESS,
  type: 'witness_v0_scripthash',
};

const EXPECTED = {
  tx: {
    txid: '8c1ae3c637ed46db4479110cdece0a34beae61def424202808ea559ff2d13eeb',
    hash: '8c1ae3c637ed46db4479110cdece0a34beae61def424202808ea559ff2d13eeb',
    version: 2,
    size: 94,
    vsize: 94,
    weight: 376,
    locktime: 0,
    vin: [
      {
        txid: '723232b2a59617c470ae8f6f9736592235a0fdaae7896788bc1503d56b2d50fb',
        vout: 1,
        scriptSig: { asm: '', hex: '' },
        sequence: 4294967293,
      },
    ],
    vout: [
      {
        value: 0.04999861,
        n: 0,
        scriptPubKey: {
          asm: '1 d0fa6086489638aad6cd186a9e90e9abb3c15841d45bfb5bea054ee6c29b3dc4',
          desc: 'rawtr(d0fa6086489638aad6cd186a9e90e9abb3c15841d45bfb5bea054ee6c29b3dc4)#4tsqqc4l',
          hex: '5120d0fa6086489638aad6cd186a9e90e9abb3c15841d45bfb5bea054ee6c29b3dc4',
          address: 'tb1p6raxppjgjcu244kdrp4fay8f4weuzkzp63dlkkl2q48wds5m8hzqc9eh33',
          type: 'witness_v1_taproot',
        },
      },
    ],
  },
  global_xpubs: [],
  psbt_version: 0,
  proprietary: [],
  unknown: {},
  inputs: [
    {
      witness_utxo: { amount: 0.05, scriptPubKey: wshScriptPubKey },
      non_witness_utxo: {
        txid: '723232b2a59617c470ae8f6f9736592235a0fdaae7896788bc1503d56b2d50fb',
        hash: '723232b2a59617c470ae8f6f9736592235a0fdaae7896788bc1503d56b2d50fb',
        version: 2,
        size: 234,
        vsize: 234,
        weight: 936,
        locktime: 0,
        vin: [
          {
            txid: '4c03a13a775eb6702f36b8af424fb64c4ee6e495ec81f9e9b8bb174c7b8fff81',
            vout: 0,
            scriptSig: {
              asm: '3044022064efbb27be53f83c58bacffadf544f8f078c4d7d1e7fbd55cabc86d48defc22a02200984a4459fb90cc23df13fe978a379a1c5a8b5c129f96efa4c0de2e237e80742[ALL] 027cf76e68ef49e9199dd279b1ad58ad2c1ebcf70e62dbd534a63b6ea77518e28d',
              hex: '473044022064efbb27be53f83c58bacffadf544f8f078c4d7d1e7fbd55cabc86d48defc22a02200984a4459fb90cc23df13fe978a379a1c5a8b5c129f96efa4c0de2e237e807420121027cf76e68ef49e9199dd279b1ad58ad2c1ebcf70e62dbd534a63b6ea77518e28d',
            },
            sequence: 4294967293,
          },
        ],
        vout: [
          {
            value: 0.04999635,
            n: 0,
            scriptPubKey: {
              asm: 'OP_DUP OP_HASH160 7233fb1d220a5c1d55ac5fe461f2aaa26feae545 OP_EQUALVERIFY OP_CHECKSIG',
              desc: 'addr(mqvobcuU1K8ZhEuuMQd4ztq611WYpqPAUn)#rpux6tau',
              hex: '76a9147233fb1d220a5c1d55ac5fe461f2aaa26feae54588ac',
              address: 'mqvobcuU1K8ZhEuuMQd4ztq611WYpqPAUn',
              type: 'pubkeyhash',
            },
          },
          { value: 0.05, n: 1, scriptPubKey: wshScriptPubKey },
        ],
      },
      partial_signatures: {
        '032725139d49f1fad3d97fb747b1ee81318e5442b260a137a6a14321a7922b9a64':
          '304402204151c320ca54df599e2b580117ce04212d668fb6e9718d9c41734e203876619a02205256f139561ad2141987cb51353f740f76663eb84fc42c3db7cd4805a5d3131c01',
      },
      witness_script: {
        asm: '032725139d49f1fad3d97fb747b1ee81318e5442b260a137a6a14321a7922b9a64 OP_CHECKSIG OP_IFDUP OP_NOTIF OP_DUP OP_HASH160 574dc1acf3f2d9d881a968310fd6fcb28b19cda0 OP_EQUALVERIFY OP_CHECKSIGVERIFY 2 OP_CHECKSEQUENCEVERIFY OP_ENDIF',
        hex: '21032725139d49f1fad3d97fb747b1ee81318e5442b260a137a6a14321a7922b9a64ac736476a914574dc1acf3f2d9d881a968310fd6fcb28b19cda088ad52b268',
        type: 'nonstandard',
      },
      bip32_derivs: [
        {
          pubkey: '021878754e5f2f62a6923843e153e47e48080e32d22c01e94f2ee999dccd358e97',
          master_fingerprint: 'd4ab66f1',
          path: 'm/48h/1h/0h/2h/0/0',
        },
        {
          pubkey: '032725139d49f1fad3d97fb747b1ee81318e5442b260a137a6a14321a7922b9a64',
          master_fingerprint: 'd7ea29a1',
          path: 'm/48h/1h/0h/2h/0/0',
        },
      ],
    },
  ],
  outputs: [{}],
  fee: 0.00000139,
};

/** Member order matters to byte-for-byte comparisons: JSON.stringify keeps insertion order. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('decodepsbt / analyzepsbt JSON', () => {
  it('decodepsbt prints what bitcoind prints', () => {
    const json = decodePsbtJson(Psbt.fromBase64(SIGNED), testnet.addressPrefixes);
    assert.equal(JSON.stringify(plain(json)), JSON.stringify(EXPECTED));
    // Amounts keep bitcoind's 8 decimals on the wire.
    assert.match(writeJson(json), /"fee":0\.00000139}$/);
    assert.match(writeJson(json), /"witness_utxo":\{"amount":0\.05000000,/);
  });

  it('analyzepsbt names the next role and the missing pieces', () => {
    const json = plain(analyzePsbtJson(analyzePsbt(Psbt.fromBase64(SIGNED)))) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json).at(-1), 'next');
    assert.equal((json.inputs as Record<string, unknown>[])[0]!.has_utxo, true);
    assert.equal((json.inputs as Record<string, unknown>[])[0]!.is_final, false);
    assert.equal(json.fee, 0.00000139);
  });
});
