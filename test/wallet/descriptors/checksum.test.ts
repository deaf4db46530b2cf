import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../../src/consensus/networks/main.js';
import {
  addChecksum,
  DescriptorError,
  descriptorChecksum,
  getDescriptorChecksum,
  parseDescriptor,
  splitChecksum,
} from '../../../src/wallet/descriptors/index.js';

const network = mainnet;

function parseError(text: string, requireChecksum = false): string {
  try {
    parseDescriptor(text, { network, requireChecksum });
  } catch (err) {
    assert.ok(err instanceof DescriptorError, String(err));
    return err.message;
  }
  assert.fail(`parsed: ${text}`);
}

describe('BIP380 checksum', () => {
  it('computes the BIP380 test vector and Core checksums', () => {
    assert.equal(descriptorChecksum('raw(deadbeef)'), '89f8spxm');
    // descriptor_tests.cpp: the same multisig with private and with public keys.
    const pub =
      "sh(multi(2,[00000000/111'/222]xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL,xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y/0))";
    const prv =
      "sh(multi(2,[00000000/111'/222]xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc,xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L/0))";
    assert.equal(descriptorChecksum(pub), 'tjg09x5t');
    assert.equal(descriptorChecksum(prv), 'ggrsrxfy');
    assert.equal(descriptorChecksum(pub.replace('multi(2', 'multi(3')), 'd4x0uxyv');
    assert.equal(addChecksum('raw(deadbeef)'), 'raw(deadbeef)#89f8spxm');
  });

  it('accepts the valid BIP380 vectors, with and without checksum', () => {
    assert.equal(parseDescriptor('raw(deadbeef)#89f8spxm', { network }).toString(), 'raw(deadbeef)#89f8spxm');
    assert.equal(parseDescriptor('raw(deadbeef)', { network }).toString(), 'raw(deadbeef)#89f8spxm');
    assert.equal(
      parseDescriptor('raw(deadbeef)#89f8spxm', { network, requireChecksum: true }).toString(),
      'raw(deadbeef)#89f8spxm',
    );
  });

  it('rejects the invalid BIP380 vectors with Core messages', () => {
    assert.equal(parseError('raw(deadbeef)', true), 'Missing checksum');
    assert.equal(parseError('raw(deadbeef)#'), 'Expected 8 character checksum, not 0 characters');
    assert.equal(parseError('raw(deadbeef)#89f8spxmx'), 'Expected 8 character checksum, not 9 characters');
    assert.equal(parseError('raw(deadbeef)#89f8spx'), 'Expected 8 character checksum, not 7 characters');
    assert.equal(
      parseError('raw(deedbeef)#89f8spxm'),
      "Provided checksum '89f8spxm' does not match computed checksum 'xj8ljs75'", // BIP380's Python reference gives xj8ljs75
    );
    assert.equal(parseError('raw(deedbeef)##9f8spxm'), "Multiple '#' symbols");
    assert.equal(parseError('raw(Ü)#00000000'), 'Invalid characters in payload');
  });

  it('splits like CheckChecksum and answers GetDescriptorChecksum', () => {
    assert.deepEqual(splitChecksum('raw(deadbeef)#89f8spxm', true), {
      body: 'raw(deadbeef)',
      checksum: '89f8spxm',
    });
    assert.equal(getDescriptorChecksum('raw(deadbeef)'), '89f8spxm');
    assert.equal(getDescriptorChecksum('raw(deadbeef)#89f8spxm'), '89f8spxm');
    assert.equal(getDescriptorChecksum('raw(deadbeef)#00000000'), '');
    assert.equal(descriptorChecksum('raw(Ü)'), '');
  });

  it('detects every single-character substitution in a descriptor', () => {
    const body = 'wpkh(02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9)';
    const good = descriptorChecksum(body);
    const alphabet = '0123456789abcdef()';
    for (let i = 0; i < body.length; i++) {
      for (const ch of alphabet) {
        if (ch === body[i]) continue;
        const mutated = body.slice(0, i) + ch + body.slice(i + 1);
        assert.notEqual(descriptorChecksum(mutated), good, mutated);
      }
    }
  });
});
