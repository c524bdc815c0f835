#!/usr/bin/env node
// Prints the PostgreSQL twin of a SQLite migration in prisma/migrations/ (a starting point for the hand-kept copy in
// prisma/migrations-postgres/; test/db/postgres-schema.test.ts proves the two give the same schema):
//   node scripts/postgres-migration.mjs 20261203070000_shared_process_state
import { readFileSync } from 'node:fs';

const name = process.argv[2];
if (!name) { console.error('usage: node scripts/postgres-migration.mjs <migration folder name>'); process.exit(2); }
const sql = readFileSync(new URL(`../prisma/migrations/${name}/migration.sql`, import.meta.url), 'utf8');
process.stdout.write(sql
  .replace(/ DATETIME\b/g, ' TIMESTAMP(3)')
  .replace(/ REAL\b/g, ' DOUBLE PRECISION')
  .replace(/ BLOB\b/g, ' BYTEA')
  .replace(/"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT/g, '"id" SERIAL NOT NULL PRIMARY KEY'));
