import { svg } from "../dom.ts";

export interface Bar {
  start: number;
  /** Value per series (e.g. charge per kind). */
  values: Record<string, number>;
}

const W = 720, H = 220, LEFT = 64, BOTTOM = 24, TOP = 8;

/**
 * Stacked bars, one per time bucket, drawn as SVG (no chart library). Each bar's title tells its
 * values, and the whole figure carries a text summary for screen readers.
 */
export function stackedBars(bars: Bar[], series: string[], label: (v: number) => string, tick: (t: number) => string, summary: string): SVGElement {
  const max = Math.max(1, ...bars.map((b) => series.reduce((n, s) => n + (b.values[s] ?? 0), 0)));
  const slot = (W - LEFT) / Math.max(1, bars.length), width = Math.max(1, slot * 0.7);
  const y = (v: number) => TOP + (H - TOP - BOTTOM) * (1 - v / max);
  const shapes = bars.flatMap((b, i) => {
    let base = 0;
    return series.flatMap((s, k) => {
      const v = b.values[s] ?? 0;
      if (v === 0) return [];
      const rect = svg("rect", { x: LEFT + i * slot + (slot - width) / 2, y: y(base + v), width, height: y(base) - y(base + v), class: `series-${k}` }, svg("title", {}, `${tick(b.start)} ${s}: ${label(v)}`));
      base += v;
      return [rect];
    });
  });
  const axis = [
    svg("line", { x1: LEFT, y1: y(0), x2: W, y2: y(0), class: "axis" }),
    svg("text", { x: LEFT - 6, y: y(max) + 10, "text-anchor": "end" }, label(max)),
    svg("text", { x: LEFT - 6, y: y(0), "text-anchor": "end" }, "0"),
    bars.length > 0 && svg("text", { x: LEFT, y: H - 6 }, tick(bars[0].start)),
    bars.length > 1 && svg("text", { x: W, y: H - 6, "text-anchor": "end" }, tick(bars[bars.length - 1].start)),
  ];
  return svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": summary, class: "chart" }, svg("title", {}, summary), axis, shapes);
}
