import { Type, type TSchema } from '@sinclair/typebox';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** SPEC §12: lists in responses are `{ items, nextCursor }`. */
export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** An ISO 8601 time as Quell writes it, or null where the value is absent. */
export const Time = Nullable(Type.String({ format: 'date-time' }));
