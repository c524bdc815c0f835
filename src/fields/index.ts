// Quell's fields: the canonical catalog (SPEC §3), row normalisation, and the KQL column mapping (SPEC §7).
export { CANONICAL_FIELDS, FIELD_CATALOG, canonicalField, type CanonicalField, type Source, type FieldType } from './catalog.js';
export { normaliseRow, urlHost, type NormaliseError } from './normalise.js';
export { kqlColumnFor } from './kql-columns.js';
