// Two plain SVG charts, a line for a series and bars for a cross-section. Each is a figure
// with a caption, an image whose title and description say in words what it shows, and the
// same numbers in a table for those who cannot see the chart (WCAG 1.1.1, 1.4.1: the values
// are written on the chart too, not only drawn).
import { useId, type ReactNode } from 'react';
import { useI18n } from '../../../i18n/index.tsx';

export type Datum = { label: string; value: number | null; note?: string };

const WIDTH = 640;
const HEIGHT = 300;
const M = { top: 20, right: 20, bottom: 64, left: 76 };
const PLOT_W = WIDTH - M.left - M.right;
const PLOT_H = HEIGHT - M.top - M.bottom;
const INK = '#1f2937';
const GRID = '#d1d5db';
const ACCENT = '#0b5cad';

/** Round steps (1, 2, 5 × 10ⁿ) covering [min, max]; with `zero`, the axis starts at 0. */
export function niceTicks(min: number, max: number, zero: boolean, count = 5): number[] {
  let lo = zero ? Math.min(0, min) : min;
  let hi = zero ? Math.max(0, max) : max;
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= Math.ceil(hi / step) * step + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

type ChartProps = { title: string; summary: string; data: Datum[]; xTitle: string; yTitle: string; format: (n: number) => string; columns: [string, string]; testId: string; children?: ReactNode };

function Frame({ title, summary, data, xTitle, yTitle, format, columns, testId, children, plot }: ChartProps & { plot: ReactNode }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <figure className="card macro-chart" data-testid={testId} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <h3>{title}</h3>
      </figcaption>
      <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" preserveAspectRatio="xMidYMid meet" focusable="false">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {plot}
        <text x={M.left + PLOT_W / 2} y={HEIGHT - 8} textAnchor="middle" fontSize="13" fill={INK}>
          {xTitle}
        </text>
        <text transform={`translate(16 ${M.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle" fontSize="13" fill={INK}>
          {yTitle}
        </text>
      </svg>
      <p className="visually-hidden">{summary}</p>
      {children}
      <details>
        <summary>{t('macro.table.show')}</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{columns[0]}</th>
                <th scope="col" className="num">
                  {columns[1]}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((d) => (
                <tr key={d.label}>
                  <th scope="row">{d.label}</th>
                  <td className="num">
                    {d.value === null ? t('macro.noValue') : format(d.value)}
                    {d.note ? ` (${d.note})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function YAxis({ ticks, y, format }: { ticks: number[]; y: (v: number) => number; format: (n: number) => string }) {
  return (
    <g aria-hidden="true">
      {ticks.map((v) => (
        <g key={v}>
          <line x1={M.left} x2={M.left + PLOT_W} y1={y(v)} y2={y(v)} stroke={GRID} strokeWidth="1" />
          <text x={M.left - 8} y={y(v) + 4} textAnchor="end" fontSize="12" fill={INK}>
            {format(v)}
          </text>
        </g>
      ))}
      <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + PLOT_H} stroke={INK} />
      <line x1={M.left} x2={M.left + PLOT_W} y1={M.top + PLOT_H} y2={M.top + PLOT_H} stroke={INK} />
    </g>
  );
}

function scale(ticks: number[]) {
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  return (v: number) => M.top + PLOT_H - ((v - lo) / (hi - lo || 1)) * PLOT_H;
}

/** A series over time: one point per period, labelled with its value. */
export function LineChart(props: ChartProps) {
  const points = props.data.filter((d): d is Datum & { value: number } => d.value !== null);
  const values = points.map((d) => d.value);
  const ticks = niceTicks(Math.min(...values), Math.max(...values), false);
  const y = scale(ticks);
  const x = (i: number) => M.left + (points.length === 1 ? PLOT_W / 2 : 32 + (i * (PLOT_W - 56)) / (points.length - 1));
  const every = Math.ceil(points.length / 12);
  const plot = (
    <>
      <YAxis ticks={ticks} y={y} format={props.format} />
      <polyline points={points.map((d, i) => `${x(i).toFixed(1)},${y(d.value).toFixed(1)}`).join(' ')} fill="none" stroke={ACCENT} strokeWidth="2.5" aria-hidden="true" />
      {points.map((d, i) => (
        <g key={d.label} aria-hidden="true">
          <circle cx={x(i)} cy={y(d.value)} r="4" fill={ACCENT} />
          {i % every === 0 && (
            <>
              <text x={x(i)} y={M.top + PLOT_H + 18} textAnchor="middle" fontSize="12" fill={INK}>
                {d.label}
              </text>
              {points.length <= 12 && (
                <text x={x(i)} y={y(d.value) - 9} textAnchor="middle" fontSize="11" fill={INK}>
                  {props.format(d.value)}
                </text>
              )}
            </>
          )}
        </g>
      ))}
    </>
  );
  return <Frame {...props} plot={plot} />;
}

/** One bar per region; a region with no value gets a gap marked "no data", not a zero bar. */
export function BarChart(props: ChartProps & { noValue: string }) {
  const values = props.data.flatMap((d) => (d.value === null ? [] : [d.value]));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values), true);
  const y = scale(ticks);
  const band = PLOT_W / Math.max(1, props.data.length);
  const barWidth = Math.min(64, band * 0.6);
  const plot = (
    <>
      <YAxis ticks={ticks} y={y} format={props.format} />
      {props.data.map((d, i) => {
        const cx = M.left + band * i + band / 2;
        return (
          <g key={d.label} aria-hidden="true">
            {d.value === null ? (
              <text x={cx} y={y(0) - 6} textAnchor="middle" fontSize="11" fill={INK}>
                {props.noValue}
              </text>
            ) : (
              <>
                <rect x={cx - barWidth / 2} y={Math.min(y(d.value), y(0))} width={barWidth} height={Math.abs(y(0) - y(d.value))} fill={ACCENT} />
                <text x={cx} y={Math.min(y(d.value), y(0)) - 6} textAnchor="middle" fontSize="11" fill={INK}>
                  {props.format(d.value)}
                </text>
              </>
            )}
            <text x={cx} y={M.top + PLOT_H + 18} textAnchor="middle" fontSize="12" fill={INK}>
              {d.label.length > 12 ? `${d.label.slice(0, 11)}…` : d.label}
            </text>
          </g>
        );
      })}
    </>
  );
  return <Frame {...props} plot={plot} />;
}
