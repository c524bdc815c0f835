-- Sentinel workspace connections: the app registration Quell signs in as and the workspace it talks to. The client
-- secret or certificate is stored only as AES-256-GCM ciphertext under QUELL_SECRET_KEY.
-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "authKind" TEXT NOT NULL,
    "secretCipher" TEXT NOT NULL,
    "certificateThumbprint" TEXT,
    "subscriptionId" TEXT NOT NULL,
    "resourceGroup" TEXT NOT NULL,
    "workspaceName" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "endpoints" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Connection_name_key" ON "Connection"("name");
