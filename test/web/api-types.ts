/**
 * Reply shapes the API tests read beyond the explorer REST contract itself, whose response types
 * are the UI's (ui/src/api/types.ts): one contract, so a field the server renames breaks both.
 */

export type * from '../../ui/src/api/types.js';

export interface ApiErrorBody {
  error: { code: string; message: string; progress?: number; height?: number };
}
export interface OpenApiJson {
  openapi: string;
  paths: Record<string, unknown>;
  components: { schemas: Record<string, { type?: string; anyOf?: unknown }> };
}
