-- The queue sorts by process, parent and destination too: like deviceName and userName, lower-cased copies of the
-- canonical fields, written at ingest (the table decides which raw column each comes from, so SQL cannot derive
-- them). Hits ingested before this migration have NULL here and sort last until they are ingested again.
-- AlterTable
ALTER TABLE "Hit" ADD COLUMN "processName" TEXT;
ALTER TABLE "Hit" ADD COLUMN "parentName" TEXT;
ALTER TABLE "Hit" ADD COLUMN "destination" TEXT;
