-- Scheduled hunt runs: a hunt's schedule (connection, API, interval, lookback) and the record of every run.
-- The connection id is plain text (connections are another feature's table). Deleting a hunt deletes both.
-- CreateTable
CREATE TABLE "HuntSchedule" (
    "huntId" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "api" TEXT NOT NULL,
    "intervalMinutes" INTEGER NOT NULL,
    "lookbackMinutes" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "nextRunAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,
    CONSTRAINT "HuntSchedule_huntId_fkey" FOREIGN KEY ("huntId") REFERENCES "Hunt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HuntRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "huntId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "api" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "triggeredBy" TEXT NOT NULL,
    "timespan" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL,
    "rows" INTEGER,
    "inserted" INTEGER,
    "merged" INTEGER,
    "rejected" INTEGER,
    "suppressed" INTEGER,
    "flagged" INTEGER,
    "open" INTEGER,
    "truncated" BOOLEAN NOT NULL,
    "truncationNote" TEXT,
    "error" TEXT,
    CONSTRAINT "HuntRun_huntId_fkey" FOREIGN KEY ("huntId") REFERENCES "Hunt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "HuntSchedule_enabled_nextRunAt_idx" ON "HuntSchedule"("enabled", "nextRunAt");

-- CreateIndex
CREATE INDEX "HuntRun_huntId_id_idx" ON "HuntRun"("huntId", "id");

-- CreateIndex
CREATE INDEX "HuntRun_huntId_status_idx" ON "HuntRun"("huntId", "status");
