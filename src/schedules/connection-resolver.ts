import { notFound } from '../http/errors.js';
import type { ConnectionResolver } from '../connections/connection-resolver.js';

// Scheduled runs use the connections feature's resolver (a missing connection throws a 404 AppError).
export type { ConnectionResolver, ResolvedConnection } from '../connections/connection-resolver.js';

/** When no resolver is wired in, no connection exists: a schedule cannot be saved and nothing runs. */
export const unconfiguredResolver: ConnectionResolver = {
  resolve: async (connectionId) => { throw notFound(`connection ${connectionId} (no Sentinel connections are configured)`); },
};
