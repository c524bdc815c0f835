/**
 * Minutes as an ISO 8601 duration in its usual form (90 → PT1H30M, 1440 → P1D), the form both query APIs
 * document for their timespan ("PT12H", "P30D").
 */
export function isoDuration(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes <= 0) throw new RangeError(`not a positive whole number of minutes: ${minutes}`);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const time = `${hours ? `${hours}H` : ''}${mins ? `${mins}M` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
