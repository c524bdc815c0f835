-- Every distinct row merged into a hit besides the one it shows (the newest): an analyst sees each observation, not
-- only the latest. A hit seen once has none, so ingesting new hits writes nothing here. Deleting a hit deletes them.
-- CreateTable
CREATE TABLE "HitObservation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hitId" TEXT NOT NULL,
    "rawHash" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "firstSeen" TIMESTAMP(3),
    "lastSeen" TIMESTAMP(3),
    "count" INTEGER NOT NULL,
    "reportIds" TEXT NOT NULL,
    "observedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "HitObservation_hitId_fkey" FOREIGN KEY ("hitId") REFERENCES "Hit" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "HitObservation_hitId_rawHash_key" ON "HitObservation"("hitId", "rawHash");
