// A small inline chart of calls (and errors, when there are any) over the window. It is an
// image with a text alternative: the label says in words what the line shows.
const WIDTH = 120;
const HEIGHT = 28;
const PAD = 2;

function points(values: number[], max: number): string {
  const last = Math.max(1, values.length - 1);
  return values.map((v, i) => `${(PAD + (i * (WIDTH - 2 * PAD)) / last).toFixed(1)},${(HEIGHT - PAD - (v / max) * (HEIGHT - 2 * PAD)).toFixed(1)}`).join(' ');
}

export function Sparkline({ calls, errors, label }: { calls: number[]; errors: number[]; label: string }) {
  const max = Math.max(1, ...calls);
  return (
    <svg className="sparkline" role="img" aria-label={label} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} focusable="false">
      <polyline className="sparkline-calls" points={points(calls, max)} />
      {errors.some((e) => e > 0) && <polyline className="sparkline-errors" points={points(errors, max)} />}
    </svg>
  );
}
