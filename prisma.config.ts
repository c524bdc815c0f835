import { defineConfig } from 'prisma/config';

// Quell applies its own hand-written migrations at start-up (src/db/migrate.ts); this file only
// tells the Prisma CLI where the schema, the migrations and the database are.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/quell.db' },
});
