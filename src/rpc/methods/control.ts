import type { RpcContext } from '../context.js';
import type { RpcMethod, RpcRegistry } from '../registry.js';

type Method = RpcMethod<RpcContext>;

/** `help` lists the registry it is given; it is built with it (Core's CRPCTable::help). */
export function helpMethod(registry: RpcRegistry<RpcContext>): Method {
  return {
    name: 'help',
    category: 'control',
    params: [
      {
        name: 'command',
        type: 'string',
        description: 'The command to get help on',
        defaultHint: 'all commands',
      },
    ],
    description: 'List all commands, or get help for a specified command.',
    result: '"text"    (string) The help text',
    examples: ['', 'getblock'],
    handler: (_ctx, args) => {
      const command = args.optStr(0);
      return command === undefined ? registry.help() : registry.helpFor(command);
    },
  };
}

export const stop: Method = {
  name: 'stop',
  category: 'control',
  params: [],
  description: 'Request a graceful shutdown of Tally.',
  result: '"str"    (string) A string with the content \'Tally stopping\'',
  examples: [''],
  handler: (ctx) => {
    // The reply goes out first: the shutdown hook closes the server this request came through.
    if (ctx.shutdown !== undefined) setImmediate(ctx.shutdown);
    return 'Tally stopping';
  },
};

export const uptime: Method = {
  name: 'uptime',
  category: 'control',
  params: [],
  description: 'Returns the total uptime of the server.',
  result: 'n    (numeric) The number of seconds that the server has been running',
  examples: [''],
  handler: (ctx) => ctx.now() - ctx.startTime,
};
