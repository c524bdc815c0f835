-- A suggested exclusion an analyst dismissed for a hunt: it is not suggested again.
-- CreateTable
CREATE TABLE "SuggestionDismissal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "huntId" TEXT NOT NULL,
    "expression" TEXT NOT NULL,
    "dismissedBy" TEXT NOT NULL,
    "dismissedAt" TIMESTAMP(3) NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "SuggestionDismissal_huntId_expression_key" ON "SuggestionDismissal"("huntId", "expression");
