/** Why a hunt document cannot be imported; `pointer` names the field at fault when there is one. */
export class HuntImportError extends Error {
  constructor(readonly code: string, message: string, readonly pointer?: string) {
    super(message);
    this.name = 'HuntImportError';
  }
}

export interface ParsedScenario { title: string; filterText: string; description?: string }

export interface ParsedHunt {
  sourceId?: string;
  name: string;
  description: string;
  query: string;
  tactics: string[];
  techniques: string[];
  dataTypes: string[];
  format: 'sentinel-yaml' | 'json' | 'page';
  sourceUrl?: string;
  scenarios: ParsedScenario[];
}
