-- The table a row names itself (a Defender streaming record's category), kept with the hit so that every later
-- evaluation derives the same canonical fields as ingest did. NULL: the row's table follows from its hunt.
-- AlterTable
ALTER TABLE "Hit" ADD COLUMN "table" TEXT;
