/** One segment of a JSON pointer (RFC 6901): `~` and `/` in a name are written `~0` and `~1`. */
export const pointerSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
