// The world map, loaded as its own chunk (the topology is ~100 kB): countries of the packaged world-atlas
// (Natural Earth, 1:110m) drawn with d3-geo in the Equal Earth projection, an equal-area projection that keeps
// the relative sizes of countries, as a choropleth of one layer.
import { geoEqualEarth, geoPath } from "d3-geo";
import { memo, useCallback, useMemo, useRef, useState } from "react";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import topology from "world-atlas/countries-110m.json";
import { colourOf, type ColourClass, numericKey } from "./mapScale";
import "./portal.css";

const WIDTH = 960;
const ANTARCTICA = "010";

type CountryShape = { id: string; name: string; d: string; centroid: [number, number] };

function buildShapes(): { shapes: CountryShape[]; height: number } {
  const world = topology as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(world, world.objects.countries);
  // Antarctica has no asylum system to support: leaving it out gives the inhabited world more room.
  const features = collection.features.filter((f) => numericKey(f.id) !== ANTARCTICA);
  const projection = geoEqualEarth().fitWidth(WIDTH - 8, { type: "FeatureCollection", features });
  const path = geoPath(projection);
  const [[, y0], [, y1]] = path.bounds({ type: "FeatureCollection", features });
  projection.translate([projection.translate()[0] + 4, projection.translate()[1] - y0 + 4]);
  const shapes = features
    .map((f, index) => ({
      // Three territories of the topology have no ISO code; they keep a local key and show no figures.
      id: numericKey(f.id) || `x${index}`,
      name: f.properties?.name ?? "",
      d: path(f) ?? "",
      centroid: path.centroid(f) as [number, number],
    }))
    .filter((s) => s.d);
  return { shapes, height: Math.ceil(y1 - y0 + 8) };
}

const { shapes: SHAPES, height: HEIGHT } = buildShapes();

export type WorldMapProps = {
  /** The layer's value per ISO numeric code. */
  values: ReadonlyMap<string, number>;
  /** Country names in the UI language per ISO numeric code (the topology's English name otherwise). */
  names: ReadonlyMap<string, string>;
  classes: readonly ColourClass[];
  /** What a country says when hovered or focused: "France: 3 pledging entities". */
  describe: (name: string, value: number) => string;
  label: string;
};

const Countries = memo(function Countries({
  values,
  names,
  classes,
  describe,
  onShow,
  onHide,
}: Omit<WorldMapProps, "label"> & { onShow: (id: string, point?: [number, number]) => void; onHide: () => void }) {
  return (
    <g stroke="#ffffff" strokeWidth={0.5} strokeLinejoin="round">
      {SHAPES.map((shape) => {
        const value = values.get(shape.id) ?? 0;
        const name = names.get(shape.id) ?? shape.name;
        // Countries with figures are reachable with the keyboard and named for assistive technology; the
        // others are decoration (the table lists every figure).
        const interactive = value > 0;
        return (
          <path
            key={shape.id}
            d={shape.d}
            fill={colourOf(value, classes)}
            data-country={shape.id}
            data-value={value}
            className="portal-map-country"
            tabIndex={interactive ? 0 : undefined}
            role={interactive ? "img" : undefined}
            aria-label={interactive ? describe(name, value) : undefined}
            aria-hidden={interactive ? undefined : true}
            onMouseMove={(event) => onShow(shape.id, [event.clientX, event.clientY])}
            onMouseLeave={onHide}
            onFocus={() => onShow(shape.id)}
            onBlur={onHide}
          />
        );
      })}
    </g>
  );
});

/** The map with a tooltip that follows the mouse, or sits on the focused country. */
export default function WorldMap({ values, names, classes, describe, label }: WorldMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const [tip, setTip] = useState<{ id: string; x: number; y: number } | null>(null);
  const byId = useMemo(() => new Map(SHAPES.map((s) => [s.id, s])), []);

  const onShow = useCallback(
    (id: string, client?: [number, number]) => {
      const rect = box.current?.getBoundingClientRect();
      if (!rect) return;
      if (client) {
        setTip({ id, x: client[0] - rect.left, y: client[1] - rect.top });
        return;
      }
      const shape = byId.get(id);
      if (!shape) return;
      const scale = rect.width / WIDTH;
      setTip({ id, x: shape.centroid[0] * scale, y: shape.centroid[1] * scale });
    },
    [byId],
  );
  const onHide = useCallback(() => setTip(null), []);

  const shape = tip ? byId.get(tip.id) : undefined;
  const text = shape ? describe(names.get(shape.id) ?? shape.name, values.get(shape.id) ?? 0) : "";
  const width = box.current?.getBoundingClientRect().width ?? WIDTH;

  return (
    <div
      ref={box}
      style={{ position: "relative" }}
      onKeyDown={(event) => {
        if (event.key === "Escape") setTip(null);
      }}
    >
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ display: "block", height: "auto" }}
        role="group"
        aria-label={label}
        data-testid="world-map"
      >
        <Countries values={values} names={names} classes={classes} describe={describe} onShow={onShow} onHide={onHide} />
      </svg>
      {tip && text && (
        // The same words as the country's accessible name: shown, not announced twice.
        <div
          aria-hidden
          data-testid="map-tooltip"
          style={{
            position: "absolute",
            left: Math.min(Math.max(tip.x + 12, 0), Math.max(width - 220, 0)),
            top: Math.max(tip.y - 36, 0),
            pointerEvents: "none",
            background: "var(--mantine-color-dark-7)",
            color: "#fff",
            padding: "4px 8px",
            borderRadius: 4,
            fontSize: 13,
            maxWidth: 240,
            boxShadow: "var(--mantine-shadow-sm)",
            zIndex: 2,
          }}
        >
          {text}
        </div>
      )}
    </div>
  );
}
