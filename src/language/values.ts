import type { RE2JS } from 're2js';
import type { Block } from './ip.js';
import type { Literal, NonEmpty } from './syntax.js';

/** Values as the checker types them: each keeps its literal (text as written, range) and adds what comparing needs. */
export interface TextValue extends Literal { kind: 'text'; lower: string }
export interface RegexValue extends Literal { kind: 'regex'; regex: RE2JS }
export interface IpValue extends Literal { kind: 'ip'; block: Block }
export interface IntValue extends Literal { kind: 'int'; int: number }
export interface DateValue extends Literal { kind: 'date'; ms: number }
export type TypedValue = TextValue | RegexValue | IpValue | IntValue | DateValue;

/** What an equality operator (==, !=, in, not in) compares with, typed by the field's type. */
export type EqualityOperand =
  | { type: 'text'; values: NonEmpty<TextValue> }
  | { type: 'ip'; values: NonEmpty<IpValue> }
  | { type: 'int'; values: NonEmpty<IntValue> }
  | { type: 'date'; values: NonEmpty<DateValue> };
