-- Canonical fields are derived from the raw row and the hunt's table on demand; storing both doubled what a
-- 100,000-row ingest writes. (ALTER TABLE … DROP COLUMN needs SQLite 3.35+; better-sqlite3 bundles a newer one.)
-- AlterTable
ALTER TABLE "Hit" DROP COLUMN "fields";
