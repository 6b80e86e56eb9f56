// The map: every feature of the shown layers drawn as SVG from the platform's own data.
// A click anywhere asks which divisions and parcels contain that point, and a click on a
// feature also selects it. Features are buttons: Tab reaches each, Enter or Space selects.
// Colours keep at least 3:1 against the white ground (WCAG 1.4.11), and selection is shown
// by a thicker dark outline as well as by colour.
import type { KeyboardEvent, MouseEvent } from 'react';
import type { Geometry, LayerData, MapFeature } from './api.ts';
import { pathOf, pointsOf, type Projection } from './projection.ts';

type Style = { stroke: string; fill: string; fillOpacity: number; width: number };
const STYLES: Record<string, Style> = {
  boundaries: { stroke: '#1f4e79', fill: '#1f4e79', fillOpacity: 0.05, width: 1.5 },
  parcels: { stroke: '#7a4a00', fill: '#c98a2b', fillOpacity: 0.35, width: 1 },
  water: { stroke: '#0b5fa5', fill: '#0b5fa5', fillOpacity: 0.3, width: 2.5 },
  green: { stroke: '#2e6b30', fill: '#2e6b30', fillOpacity: 0.25, width: 1 },
  poi: { stroke: '#ffffff', fill: '#6a1b9a', fillOpacity: 1, width: 1.5 },
};
const SELECTED = '#b3261e';

function styleOf(kind: string, f: MapFeature): Style {
  if (kind === 'resources') return ['forest', 'grassland', 'wetland', 'protected'].includes(String(f.properties.resourceType)) ? STYLES.green : STYLES.water;
  return STYLES[kind] ?? STYLES.boundaries;
}

const isLine = (g: Geometry) => g.type === 'LineString' || g.type === 'MultiLineString';

export type MapViewProps = {
  layers: LayerData[];
  projection: Projection;
  label: string;
  describedBy: string;
  selected: string | undefined;
  queryPoint: [number, number] | undefined;
  queryLabel: string;
  nameOf: (f: MapFeature) => string;
  onSelect: (layer: string, key: string) => void;
  onPoint: (lon: number, lat: number) => void;
};

export function MapView({ layers, projection: p, label, describedBy, selected, queryPoint, queryLabel, nameOf, onSelect, onPoint }: MapViewProps) {
  const click = (event: MouseEvent<SVGSVGElement>) => {
    const svg = event.currentTarget;
    const matrix = svg.getScreenCTM();
    if (!matrix) return;
    const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    onPoint(Math.round(p.lon(at.x) * 1e6) / 1e6, Math.round(p.lat(at.y) * 1e6) / 1e6);
  };
  const keyDown = (layer: string, key: string) => (event: KeyboardEvent<SVGGElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(layer, key);
    }
  };
  return (
    <svg
      viewBox={`0 0 ${p.width} ${p.height}`}
      width="100%"
      role="group"
      aria-label={label}
      aria-describedby={describedBy}
      data-testid="geo-map"
      onClick={click}
      style={{ display: 'block', maxHeight: '70vh', background: '#ffffff', border: '1px solid #6b6b6b', cursor: 'crosshair' }}
    >
      <style>{'.geo-feature:focus{outline:none}.geo-feature:focus-visible path,.geo-feature:focus-visible circle{stroke:#000;stroke-width:4}'}</style>
      {layers.map(({ layer, features }) => (
        <g key={layer.code} data-layer={layer.code}>
          {features.map((f) => {
            const id = `${layer.code}/${f.id}`;
            const on = selected === id;
            const s = styleOf(layer.kind, f);
            const name = nameOf(f);
            return (
              <g
                key={id}
                className="geo-feature"
                role="button"
                tabIndex={0}
                aria-label={`${layer.code === 'boundaries' ? `${f.id} ` : ''}${name || f.id}`}
                aria-pressed={on}
                data-key={id}
                onClick={() => onSelect(layer.code, f.id)}
                onKeyDown={keyDown(layer.code, f.id)}
              >
                <title>{name ? `${name} (${f.id})` : f.id}</title>
                {pointsOf(f.geometry).map((q, i) => (
                  <circle key={i} cx={p.x(q[0])} cy={p.y(q[1])} r={on ? 8 : 6} fill={on ? SELECTED : s.fill} stroke={on ? '#000000' : s.stroke} strokeWidth={on ? 2.5 : s.width} />
                ))}
                {f.geometry.type !== 'Point' && f.geometry.type !== 'MultiPoint' && (
                  <path
                    d={pathOf(p, f.geometry)}
                    fill={isLine(f.geometry) ? 'none' : on ? SELECTED : s.fill}
                    fillOpacity={on ? 0.25 : s.fillOpacity}
                    fillRule="evenodd"
                    stroke={on ? SELECTED : s.stroke}
                    strokeWidth={on ? s.width + 2 : s.width}
                    vectorEffect="non-scaling-stroke"
                    strokeLinejoin="round"
                  />
                )}
              </g>
            );
          })}
        </g>
      ))}
      {queryPoint && (
        <g aria-label={queryLabel} role="img" pointerEvents="none">
          <path d={`M${p.x(queryPoint[0]) - 8},${p.y(queryPoint[1])}h16M${p.x(queryPoint[0])},${p.y(queryPoint[1]) - 8}v16`} stroke="#000000" strokeWidth={2.5} vectorEffect="non-scaling-stroke" />
        </g>
      )}
    </svg>
  );
}
