/**
 * Sentinel's incident classification pairs (SPEC §6). A verdict must agree with its classification: a true positive
 * is malicious, benign and false positives are benign; Undetermined carries no reason and fits either verdict.
 */
export const CLASSIFICATIONS = {
  TruePositive: { verdicts: ['malicious'], reasons: ['SuspiciousActivity'] },
  BenignPositive: { verdicts: ['benign'], reasons: ['SuspiciousButExpected'] },
  FalsePositive: { verdicts: ['benign'], reasons: ['IncorrectAlertLogic', 'InaccurateData'] },
  Undetermined: { verdicts: ['benign', 'malicious'], reasons: [] },
} as const satisfies Record<string, { verdicts: readonly string[]; reasons: readonly string[] }>;

export type Classification = keyof typeof CLASSIFICATIONS;

/** Every classification reason, in the order of the table above. */
export const CLASSIFICATION_REASONS: readonly string[] = [...new Set(Object.values(CLASSIFICATIONS).flatMap((c) => c.reasons))];

/** null when the triple is consistent, else what is wrong with it. */
export function classificationError(verdict: string, classification: string, reason: string | undefined | null): { pointer: string; message: string } | null {
  const c = CLASSIFICATIONS[classification as Classification];
  if (!c) return { pointer: '/classification', message: `must be one of ${Object.keys(CLASSIFICATIONS).join(', ')}` };
  if (!(c.verdicts as readonly string[]).includes(verdict)) {
    return { pointer: '/classification', message: `${classification} does not fit a ${verdict} verdict (use ${Object.entries(CLASSIFICATIONS)
      .filter(([, v]) => (v.verdicts as readonly string[]).includes(verdict)).map(([k]) => k).join(' or ')})` };
  }
  const reasons = c.reasons as readonly string[];
  if (reasons.length === 0) {
    return reason ? { pointer: '/classificationReason', message: `${classification} takes no classification reason` } : null;
  }
  if (!reason) return { pointer: '/classificationReason', message: `${classification} needs a reason: ${reasons.join(' or ')}` };
  if (!reasons.includes(reason)) return { pointer: '/classificationReason', message: `${classification} goes with ${reasons.join(' or ')}, not ${reason}` };
  return null;
}
