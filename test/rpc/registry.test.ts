import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RpcArgs } from '../../src/rpc/args.js';
import { RpcError } from '../../src/rpc/errors.js';
import { type CallInfo, RpcRegistry } from '../../src/rpc/registry.js';

const call: CallInfo = { user: 'u', wallet: undefined, uri: '/' };

/** A registry whose method echoes the positional arguments it received. */
function registry(): RpcRegistry<null> {
  return new RpcRegistry<null>().register(
    {
      name: 'echo',
      category: 'control',
      params: [
        { name: 'blockhash', type: 'hex', required: true, description: 'a hash' },
        { name: 'verbosity|verbose', type: 'any', default: 1, description: 'how much' },
        { name: 'count', type: 'number', description: 'how many' },
        { name: 'flag', type: 'boolean', default: false, description: 'a flag' },
      ],
      description: 'Echo.',
      handler: (_ctx: null, args: RpcArgs) => args.values,
    },
    {
      name: 'stop',
      category: 'control',
      params: [],
      description: 'Stop.',
      handler: () => 'stopping',
    },
    {
      name: 'getblockcount',
      category: 'blockchain',
      params: [],
      description: 'Count.',
      handler: () => 1,
    },
  );
}

async function fails(p: Promise<unknown>, code: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RpcError, String(err));
    assert.equal(err.code, code, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

describe('RpcRegistry', () => {
  const r = registry();
  const exec = (params: unknown) => r.execute(null, 'echo', params, call);

  it('passes positional arguments through', async () => {
    assert.deepEqual(await exec(['aa', 2]), ['aa', 2]);
  });

  it('maps named arguments to positions, with holes as null (transformNamedArguments)', async () => {
    assert.deepEqual(await exec({ blockhash: 'aa' }), ['aa']);
    assert.deepEqual(await exec({ blockhash: 'aa', count: 3 }), ['aa', null, 3]);
    assert.deepEqual(await exec({ verbose: 2, blockhash: 'aa' }), ['aa', 2]);
    assert.deepEqual(await exec({ args: ['aa', 0], flag: true }), ['aa', 0, null, true]);
  });

  it('refuses unknown and doubly given named arguments', async () => {
    await fails(exec({ blockhash: 'aa', bogus: 1 }), -8, 'Unknown named parameter bogus');
    await fails(exec({ verbosity: 1, verbose: 2, blockhash: 'aa' }), -8, 'Unknown named parameter verbose');
    await fails(
      exec({ args: ['aa'], blockhash: 'bb' }),
      -8,
      'Parameter blockhash specified twice both as positional and named argument',
    );
  });

  it('answers a wrong argument count with the help text as RPC_MISC_ERROR', async () => {
    await fails(exec([]), -1, /^echo "blockhash" \( verbosity count flag \)\n\nEcho\./);
    await fails(exec(['a', 1, 2, true, 5]), -1, /^echo "blockhash"/);
    await fails(r.execute(null, 'stop', [1], call), -1, /^stop\n/);
  });

  it("reports type mismatches in Core's words", async () => {
    await fails(
      exec([1, 1, 'x']),
      -3,
      'Wrong type passed:\n{\n    "Position 1 (blockhash)": "JSON value of type number is not of expected type string",\n' +
        '    "Position 3 (count)": "JSON value of type string is not of expected type number"\n}',
    );
    await fails(
      exec([null]),
      -3,
      /"Position 1 \(blockhash\)": "JSON value of type null is not of expected type string"/,
    );
    await fails(
      exec(['a', 1, null, 'yes']),
      -3,
      /Position 4 \(flag\).*type string is not of expected type bool/,
    );
    // Optional arguments may be null; 'any' is the handler's to check.
    assert.deepEqual(await exec(['a', 'anything', null, null]), ['a', 'anything', null, null]);
  });

  it('reports unknown methods and warm-up with their codes', async () => {
    await fails(r.execute(null, 'nope', [], call), -32601, 'Method not found');
    r.setWarmup('Loading block index…');
    await fails(r.execute(null, 'stop', [], call), -28, 'Loading block index…');
    r.setWarmup(undefined);
  });

  it('generates help from the table', () => {
    assert.equal(
      r.help(),
      '== Blockchain ==\ngetblockcount\n\n== Control ==\necho "blockhash" ( verbosity count flag )\nstop',
    );
    assert.match(
      r.helpFor('echo'),
      /Arguments:\n1\. blockhash {4}\(string, required\) a hash\n2\. verbosity {4}\(any, optional, default=1\)/,
    );
    assert.equal(r.helpFor('nope'), 'help: unknown command: nope');
  });
});
