-- A hunt's source tables as a JSON array: a union hunt reads several (Hunt.table stays the single one when there is
-- one). Hunts imported before have their one table, or none.
-- AlterTable
ALTER TABLE "Hunt" ADD COLUMN "tables" TEXT NOT NULL DEFAULT '[]';
UPDATE "Hunt" SET "tables" = json_build_array("table")::text WHERE "table" IS NOT NULL;
