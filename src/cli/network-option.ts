import { getNetwork, NETWORK_NAMES, type NetworkParams } from '../consensus/params.js';
import { UsageError } from './errors.js';

export function networkFromOption(name: string | undefined): NetworkParams {
  const params = getNetwork(name ?? 'main');
  if (params === undefined) {
    throw new UsageError(`unknown network '${name}' (expected ${NETWORK_NAMES.join(', ')})`);
  }
  return params;
}
