import { Type } from '@sinclair/typebox';
import { Nullable } from '../http/schema-kit.js';

const Item = Type.Object({
  id: Type.String(), huntId: Type.String(), deviceName: Nullable(Type.String()),
  lastSeen: Nullable(Type.String()), verdict: Nullable(Type.String()), from: Type.String(), to: Type.String(),
});
const Bucket = Type.Object({ count: Type.Integer(), malicious: Type.Integer(), items: Type.Array(Item) });

export const BacktestResult = Type.Object({
  examined: Type.Integer(),
  wouldSuppress: Bucket,
  wouldRelease: Bucket,
  wouldFlag: Type.Object({ count: Type.Integer(), items: Type.Array(Item) }),
  maliciousMatched: Type.Object({ count: Type.Integer(), items: Type.Array(Item) }),
});

export const Reevaluation = Type.Object({ examined: Type.Integer(), changed: Type.Integer() });
