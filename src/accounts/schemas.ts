import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from '../core/actor.js';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const UsernameSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]*$' });

export const CreateUserBody = Type.Object({
  username: UsernameSchema,
  role: RoleSchema,
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 256 })),
}, { additionalProperties: false });
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object({
  role: Type.Optional(RoleSchema),
  disabled: Type.Optional(Type.Boolean({ description: 'a disabled user can neither sign in nor use a token' })),
}, { additionalProperties: false, minProperties: 1 });
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const CreateTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

export const UserView = Type.Object({
  id: Type.String(), username: Type.String(), role: RoleSchema, disabled: Type.Boolean(),
  createdAt: Type.String(), createdBy: Type.String(),
});
export const TokenView = Type.Object({
  id: Type.String(), userId: Type.String(), name: Type.String(), prefix: Type.String(),
  createdAt: Type.String(), expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  token: Type.Optional(Type.String({ description: 'the secret, shown once at creation' })),
});
