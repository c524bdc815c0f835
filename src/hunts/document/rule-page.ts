import { parse as parseYaml } from 'yaml';
import { HuntImportError, type ParsedHunt, type ParsedScenario } from './hunt-import-error.js';
import { readLooseYaml, type LooseDoc } from './tolerant-yaml.js';
import { huntFromDoc } from './hunt-fields.js';

// The enriched rule page (prisma/seeds/*.txt): prose, a "KQL Query" block, the rule's YAML (indented in one file,
// flattened without indentation in the other), then "False Positive Guidance" as Scenario / Filter/Exclusion pairs.
const SECTION = /^(Required Data Sources|MITRE ATT&CK Context|References|False Positive Guidance|Original source:|Scenario:|Hunt Hypothesis|Analytic Rule Definition)/;

export function looksLikeRulePage(text: string): boolean {
  return /^KQL Query\s*$/m.test(text) && /^id:\s*\S/m.test(text);
}

function scenariosOf(lines: string[]): ParsedScenario[] {
  const out: ParsedScenario[] = [];
  for (let i = 0; i < lines.length; i++) {
    const s = /^Scenario:\s*(.*?)\s*$/.exec(lines[i]!);
    if (!s) continue;
    const f = /^Filter\/Exclusion:\s*(.*?)\s*$/.exec(lines[i + 1] ?? '');
    if (!f) throw new HuntImportError('scenario-without-filter', `line ${i + 2}: the scenario "${s[1]}" has no Filter/Exclusion line after it`);
    out.push({ title: s[1]!, filterText: f[1]! });
    i++;
  }
  return out;
}

export function parseRulePage(input: string): ParsedHunt {
  const lines = input.replace(/\r\n?/g, '\n').split('\n');
  const kqlAt = lines.findIndex((l) => /^KQL Query\s*$/.test(l));
  const idAt = lines.findIndex((l, i) => i > kqlAt && /^id:\s*\S/.test(l));
  if (kqlAt < 0 || idAt < 0) throw new HuntImportError('not-a-page', 'the page has no "KQL Query" block followed by the rule definition');
  let kqlEnd = idAt;
  for (let i = kqlAt + 1; i < idAt; i++) if (/^Analytic Rule Definition\s*$/.test(lines[i]!)) { kqlEnd = i; break; }
  const kql = lines.slice(kqlAt + 1, kqlEnd).join('\n').replace(/^\s*\n/, '').replace(/\s+$/, '');

  let yamlEnd = lines.length;
  for (let i = idAt + 1; i < lines.length; i++) if (SECTION.test(lines[i]!)) { yamlEnd = i; break; }
  const yamlText = lines.slice(idAt, yamlEnd).join('\n');
  let doc: LooseDoc;
  try {
    const parsed = parseYaml(yamlText, { uniqueKeys: false, logLevel: 'error' }) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a mapping');
    doc = parsed as LooseDoc;
  } catch {
    doc = readLooseYaml(yamlText, SECTION);
  }
  // The page's KQL block is the query as shown; the YAML copy may have lost its indentation.
  const hunt = huntFromDoc({ ...doc, query: kql || doc.query }, 'page');
  const source = lines.map((l) => /^Original source:\s*(\S.*?)\s*$/.exec(l)?.[1]).find(Boolean);
  return { ...hunt, ...(source ? { sourceUrl: source } : {}), scenarios: scenariosOf(lines) };
}
