-- Watchlist sync: which connections each suppression list is synced to, and every sync run (planned and applied item
-- changes, which count against Sentinel's monthly change budget; runs keep no foreign key so that deleting a list or
-- a connection never refunds changes already made).
-- CreateTable
CREATE TABLE "ListTarget" (
    "listId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL,
    "addedBy" TEXT NOT NULL,

    PRIMARY KEY ("listId", "connectionId"),
    CONSTRAINT "ListTarget_listId_fkey" FOREIGN KEY ("listId") REFERENCES "SuppressionList" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ListTarget_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "listId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "connectionName" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "watchlistAlias" TEXT NOT NULL,
    "dryRun" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "startedBy" TEXT NOT NULL,
    "plannedCreate" INTEGER NOT NULL,
    "plannedUpdate" INTEGER NOT NULL,
    "plannedDelete" INTEGER NOT NULL,
    "created" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "deleted" INTEGER NOT NULL,
    "error" TEXT
);

-- CreateIndex
CREATE INDEX "ListTarget_connectionId_idx" ON "ListTarget"("connectionId");

-- CreateIndex
CREATE INDEX "SyncRun_listId_id_idx" ON "SyncRun"("listId", "id");

-- CreateIndex
CREATE INDEX "SyncRun_workspaceId_startedAt_idx" ON "SyncRun"("workspaceId", "startedAt");
