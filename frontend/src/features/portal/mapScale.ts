// The world map's layers and colour scale: pure functions, shared by the map, its legend and its table.
import type { Schemas } from "@/lib/api";

export type CountryFigures = Schemas["CountryFigures"];
export type MapLayer = "pledging_entities" | "published_matches" | "unmet_needs";
export const MAP_LAYERS: readonly MapLayer[] = ["pledging_entities", "published_matches", "unmet_needs"];

/** Sequential palettes (ColorBrewer), lightest first; each layer has its own hue. */
export const PALETTES: Record<MapLayer, readonly string[]> = {
  pledging_entities: ["#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
  published_matches: ["#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
  unmet_needs: ["#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#8c2d04"],
};
/** Countries with nothing to show on the layer (zero, or not in the figures). */
export const EMPTY_COLOUR = "#e9ecef";

export type ColourClass = { min: number; max: number; colour: string };

/**
 * Equal-interval classes over whole numbers from 1 to `max`: one class per value when there are few values,
 * else `classes` ranges of the same width (the last one ends at `max`). Zero is never in a class.
 */
export function classBreaks(max: number, classes = 5): { min: number; max: number }[] {
  const top = Math.floor(max);
  if (!Number.isFinite(top) || top < 1 || classes < 1) return [];
  if (top <= classes) return Array.from({ length: top }, (_, index) => ({ min: index + 1, max: index + 1 }));
  const step = Math.ceil(top / classes);
  const result: { min: number; max: number }[] = [];
  for (let min = 1; min <= top; min += step) result.push({ min, max: Math.min(min + step - 1, top) });
  return result;
}

/** The classes of a layer for these values, each with its colour (spread over the palette, darkest last). */
export function colourClasses(values: readonly number[], palette: readonly string[]): ColourClass[] {
  const max = values.reduce((a, b) => Math.max(a, b), 0);
  const breaks = classBreaks(max, palette.length);
  const last = palette.length - 1;
  return breaks.map((range, index) => {
    // A single class takes a middle-dark shade (readable against the empty grey); several spread to the darkest.
    const position = breaks.length === 1 ? Math.ceil(last / 2) : Math.round((index * last) / (breaks.length - 1));
    return { ...range, colour: palette[position] ?? palette[last] ?? "#000" };
  });
}

/** The colour of `value` among `classes` (the empty colour for zero or no value). */
export function colourOf(value: number | undefined, classes: readonly ColourClass[]): string {
  if (!value || value < 1) return EMPTY_COLOUR;
  const found = classes.find((c) => value >= c.min && value <= c.max);
  return found?.colour ?? classes[classes.length - 1]?.colour ?? EMPTY_COLOUR;
}

/** "3" or "4–6", numbers in the UI language. */
export function classLabel(range: { min: number; max: number }, format: (n: number) => string): string {
  return range.min === range.max ? format(range.min) : `${format(range.min)}–${format(range.max)}`;
}

/** ISO 3166-1 numeric codes as the world topology writes them ("4" and "004" are the same country). */
export function numericKey(code: string | number | null | undefined): string {
  if (code === null || code === undefined || code === "") return "";
  return String(code).padStart(3, "0");
}

/** Figures indexed by the topology's numeric country id, through the countries' ISO3 -> numeric table. */
export function figuresByNumeric(
  figures: readonly CountryFigures[],
  countries: readonly { iso3: string; iso_numeric: string }[],
): Map<string, CountryFigures> {
  const numericOf = new Map(countries.map((c) => [c.iso3, numericKey(c.iso_numeric)]));
  const result = new Map<string, CountryFigures>();
  for (const row of figures) {
    const key = numericOf.get(row.country_iso3);
    if (key) result.set(key, row);
  }
  return result;
}

/** Rows for the table alternative: countries with something on the layer first (largest first), then by name. */
export function tableRows(
  figures: readonly CountryFigures[],
  layer: MapLayer,
  nameOf: (iso3: string) => string,
  language: string,
): CountryFigures[] {
  return [...figures]
    .filter((row) => row.pledging_entities + row.published_matches + row.unmet_needs + row.offers > 0)
    .sort((a, b) => b[layer] - a[layer] || nameOf(a.country_iso3).localeCompare(nameOf(b.country_iso3), language));
}
