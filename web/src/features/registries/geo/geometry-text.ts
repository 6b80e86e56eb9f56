// A geometry as the forms take it: GeoJSON text, typed or read from a file. The server checks
// the geometry itself and names the ring and vertex at fault; here only the JSON is read, and
// a whole Feature (or a collection of one) stands for its geometry, as files often hold one.

export type GeometryRead = { ok: true; geometry: unknown; feature?: { id?: unknown; properties?: Record<string, unknown> | null } } | { ok: false; reason: 'json' | 'collection'; detail: string };

export function readGeometryText(text: string): GeometryRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: 'json', detail: e instanceof Error ? e.message : String(e) };
  }
  const object = value as { type?: unknown; geometry?: unknown; features?: unknown[]; id?: unknown; properties?: Record<string, unknown> | null } | null;
  if (object && typeof object === 'object' && object.type === 'FeatureCollection') {
    if (!Array.isArray(object.features) || object.features.length !== 1) return { ok: false, reason: 'collection', detail: String(Array.isArray(object.features) ? object.features.length : 0) };
    return readFeature(object.features[0]);
  }
  if (object && typeof object === 'object' && object.type === 'Feature') return readFeature(object);
  return { ok: true, geometry: value };
}

function readFeature(value: unknown): GeometryRead {
  const f = value as { geometry?: unknown; id?: unknown; properties?: Record<string, unknown> | null };
  return { ok: true, geometry: f?.geometry ?? null, feature: { id: f?.id, properties: f?.properties ?? null } };
}

/** A geometry as text for the form: compact, so a polygon's rings stay readable as lines wrap. */
export const geometryText = (geometry: unknown) => JSON.stringify(geometry);

/** The server's problems of a geometry ("geometry.coordinates[0]") as one text, each with where it is. */
export function geometryProblems(problems: { field: string; message: string }[], base = 'geometry'): string | undefined {
  const lines = problems
    .filter((p) => p.field === base || p.field.startsWith(`${base}.`) || p.field.startsWith(`${base}[`))
    .map((p) => {
      const where = p.field.slice(base.length).replace(/^\./, '');
      return where ? `${where}: ${p.message}` : p.message;
    });
  return lines.length > 0 ? lines.join('; ') : undefined;
}
