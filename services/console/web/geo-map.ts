import { html } from 'htm/preact';

export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  label: string;
  href: string;
}

/** The one place the points are about (a valuation's property), drawn as a diamond, not a pin. */
export interface MapSubject {
  lat: number;
  lon: number;
  label: string;
}

/** A line of the legend: which marker stands for what. */
export interface MapLegendEntry {
  marker: 'pin' | 'subject';
  text: string;
}

export interface GeoMapProps {
  points: MapPoint[];
  center?: { lat: number; lon: number };
  subject?: MapSubject;
  /** What the map shows, for screen readers; "Map of N listings" unless given. */
  label?: string;
  /** Given, the map comes in a figure with the legend as its caption. */
  legend?: MapLegendEntry[];
}

const WIDTH = 640;
const HEIGHT = 420;
const PAD = 24;

/**
 * The hits on a tile-free vector map (SVG): an equirectangular projection of their bounding
 * box (longitude scaled by the cosine of the mean latitude, so distances look right), a
 * graticule for orientation, one link per point (focusable, Enter opens the listing) and,
 * given one, the subject the points are about (a valuation's comparables around its property).
 */
export function GeoMap({ points, center, subject, label, legend }: GeoMapProps) {
  const all = [...points, ...(center ? [center] : []), ...(subject ? [subject] : [])];
  if (all.length === 0) return html`<p class="muted">No coordinates to map.</p>`;
  const lats = all.map((p) => p.lat);
  const lons = all.map((p) => p.lon);
  let [south, north, west, east] = [
    Math.min(...lats),
    Math.max(...lats),
    Math.min(...lons),
    Math.max(...lons),
  ];
  // At least ~1 km across, so one point does not fill the map.
  if (north - south < 0.01) [south, north] = [south - 0.005, north + 0.005];
  if (east - west < 0.01) [west, east] = [west - 0.005, east + 0.005];
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = (east - west) * kx;
  const spanY = north - south;
  const scale = Math.min((WIDTH - 2 * PAD) / spanX, (HEIGHT - 2 * PAD) / spanY);
  const offsetX = (WIDTH - spanX * scale) / 2;
  const offsetY = (HEIGHT - spanY * scale) / 2;
  const x = (lon: number) => offsetX + (lon - west) * kx * scale;
  const y = (lat: number) => offsetY + (north - lat) * scale;
  const step = niceStep(Math.max(east - west, north - south) / 5);
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  const meridians: number[] = [];
  for (let lon = Math.ceil(west / step) * step; lon <= east; lon += step) meridians.push(lon);
  const parallels: number[] = [];
  for (let lat = Math.ceil(south / step) * step; lat <= north; lat += step) parallels.push(lat);

  const map = html`<svg
    class="map"
    viewBox=${`0 0 ${WIDTH} ${HEIGHT}`}
    role="group"
    aria-label=${label ?? `Map of ${points.length} listings`}
  >
    <rect x="0" y="0" width=${WIDTH} height=${HEIGHT} class="map-bg" />
    ${meridians.map(
      (lon) =>
        html`<g class="grid"
          ><line x1=${x(lon)} x2=${x(lon)} y1="0" y2=${HEIGHT} /><text x=${x(lon) + 2} y=${HEIGHT - 4}
            >${lon.toFixed(digits)}°</text
          ></g
        >`,
    )}
    ${parallels.map(
      (lat) =>
        html`<g class="grid"
          ><line x1="0" x2=${WIDTH} y1=${y(lat)} y2=${y(lat)} /><text x="2" y=${y(lat) - 2}
            >${lat.toFixed(digits)}°</text
          ></g
        >`,
    )}
    ${center && html`<circle class="center" cx=${x(center.lon)} cy=${y(center.lat)} r="6" />`}
    ${
      // Under the pins, and larger than they are: a sale in the same building leaves its corners showing.
      subject &&
      html`<g class="subject" role="img" aria-label=${subject.label}>
        <polygon points=${diamond(x(subject.lon), y(subject.lat), 10)} /><title>${subject.label}</title>
      </g>`
    }
    ${points.map(
      (p) =>
        html`<a href=${p.href} aria-label=${p.label} class="pin">
          <circle cx=${x(p.lon)} cy=${y(p.lat)} r="6" data-id=${p.id}><title>${p.label}</title></circle>
        </a>`,
    )}
  </svg>`;
  if (!legend) return map;
  return html`<figure class="map-figure">
    ${map}
    <figcaption>
      <ul class="map-legend">
        ${legend.map(
          (entry) =>
            html`<li>
              <svg class=${`swatch ${entry.marker}`} viewBox="0 0 24 24" aria-hidden="true">
                ${
                  entry.marker === 'subject'
                    ? html`<polygon points=${diamond(12, 12, 10)} />`
                    : html`<circle cx="12" cy="12" r="6" />`
                }
              </svg>
              ${entry.text}
            </li>`,
        )}
      </ul>
    </figcaption>
  </figure>`;
}

/** The corners of a diamond (a square on its point) of half-diagonal `r` around (cx, cy). */
function diamond(cx: number, cy: number, r: number): string {
  return `${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}`;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit < 2 ? 1 : unit < 5 ? 2 : 5) * power;
}
