export interface WatchlistMeta {
  alias: string;
  displayName: string;
  description?: string | null;
  labels?: readonly string[];
}

export const WATCHLIST_PROVIDER = 'Quell';
/** The stable Watchlists REST api-version the PUT body is written for (reference/sentinel.md §1.3). */
export const WATCHLIST_REST_API_VERSION = '2024-09-01';
/** The api-version Microsoft's own Sentinel watchlist ARM content uses (reference/sentinel.md §1.4). */
export const WATCHLIST_ARM_API_VERSION = '2022-08-01';

/** The REST path below the workspace for a PUT of this watchlist (the alias is a path segment, so it is encoded). */
export function watchlistRestPath(alias: string): string {
  return `providers/Microsoft.SecurityInsights/watchlists/${encodeURIComponent(alias)}?api-version=${WATCHLIST_REST_API_VERSION}`;
}

/**
 * The body of `PUT …/providers/Microsoft.SecurityInsights/watchlists/{alias}`. In the stable spec `source` "only accepts
 * 'Local file' and 'Remote storage'", and an inline rawContent upload is a local file; the official example also sends
 * `sourceType: "Local file"` (the field the preview spec introduced), so both are set and either reading is satisfied.
 */
export function buildWatchlistPutBody(list: WatchlistMeta, csv: string) {
  return {
    properties: {
      displayName: list.displayName,
      provider: WATCHLIST_PROVIDER,
      source: 'Local file',
      sourceType: 'Local file',
      itemsSearchKey: 'SearchKey',
      rawContent: csv,
      contentType: 'text/csv',
      numberOfLinesToSkip: 0,
      description: list.description ?? '',
      labels: [...(list.labels ?? [])],
    },
  };
}

// ARM evaluates a string that begins with `[` and ends with `]` as a template expression; a leading `[[` makes it a
// literal (ARM "Syntax and expressions", escape characters). User text must never become an expression.
const armLiteral = (s: string) => (s.startsWith('[') && s.endsWith(']') ? `[${s}` : s);
// Inside an expression's single-quoted string a quote is written twice.
const armQuoted = (s: string) => s.replace(/'/g, "''");

/**
 * One watchlist as Microsoft's Sentinel content deploys it (Watchlists/Templates/WatchlistTemplate.json): a
 * `Microsoft.OperationalInsights/workspaces/providers/Watchlists` resource named `<workspace>/Microsoft.SecurityInsights/
 * <alias>`, `kind: ""`, `contentType: "Text/Csv"` as that content writes it, and `defaultDuration` P1000Y because each
 * entry's own expiry is managed in Quell and re-exported.
 */
function watchlistArmResource(list: WatchlistMeta, csv: string) {
  return {
    type: 'Microsoft.OperationalInsights/workspaces/providers/Watchlists',
    apiVersion: WATCHLIST_ARM_API_VERSION,
    name: `[concat(parameters('workspace'), '/Microsoft.SecurityInsights/${armQuoted(list.alias)}')]`,
    kind: '',
    properties: {
      displayName: armLiteral(list.displayName),
      source: armLiteral(`${list.alias}.csv`),
      description: armLiteral(list.description ?? ''),
      provider: WATCHLIST_PROVIDER,
      isDeleted: false,
      labels: (list.labels ?? []).map(armLiteral),
      defaultDuration: 'P1000Y',
      contentType: 'Text/Csv',
      numberOfLinesToSkip: 0,
      itemsSearchKey: 'SearchKey',
      rawContent: armLiteral(csv),
    },
  };
}

function armTemplate(resources: ReturnType<typeof watchlistArmResource>[]) {
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: {
      workspace: { type: 'string', metadata: { description: 'Name of the Log Analytics workspace where Microsoft Sentinel is set up' } },
    },
    resources,
  };
}

/** An ARM template deploying the watchlist (one resource, see watchlistArmResource). */
export function buildWatchlistArmTemplate(list: WatchlistMeta, csv: string) {
  return armTemplate([watchlistArmResource(list, csv)]);
}

/**
 * ARM refuses a template over 4 MB ("Resolve errors for job size exceeded", learn.microsoft.com/azure/azure-resource-
 * manager/templates/error-job-size-exceeded; also ARM template best practices, "Template limits"). Read as decimal
 * bytes of the JSON Quell sends, the smaller reading, as for rawContent: newer versions of that page say the limit is
 * checked after compression, which only makes a template within this reading safer.
 */
export const MAX_ARM_TEMPLATE_BYTES = 4_000_000;

/** One ARM template deploying every numbered watchlist of a list, one resource per part, in part order. */
export function buildWatchlistArmTemplateOfParts(parts: readonly { meta: WatchlistMeta; csv: string }[]) {
  return armTemplate(parts.map((p) => watchlistArmResource(p.meta, p.csv)));
}
