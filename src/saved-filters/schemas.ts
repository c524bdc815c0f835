import { Type, type Static } from '@sinclair/typebox';
import { HitListQuery } from '../hits/schemas.js';

export const SavedFilterBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  /** The GET /hits filter and sort, without cursor and limit: checked by the same schema GET /hits takes. */
  query: HitListQuery,
}, { additionalProperties: false });
export type SavedFilterBody = Static<typeof SavedFilterBody>;

export const SavedFilterView = Type.Object({
  id: Type.String(), name: Type.String(), query: HitListQuery, createdAt: Type.String({ format: 'date-time' }),
});

export const SavedFilterPage = Type.Object({ items: Type.Array(SavedFilterView), nextCursor: Type.Null() });
