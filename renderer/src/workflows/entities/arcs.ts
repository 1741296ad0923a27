// A sentence's entities and relations drawn as brat / displaCy draw them: the words in a row, each
// entity as a coloured box under its words, each relation as a labelled arc above the text from its
// head to its tail. Arcs are stacked in levels: an arc is above every arc it spans, and arcs on one
// level never overlap, so a short arc stays low and a long one goes over it. Pure: the SVG is text
// the viewer shows and exports (SVG, PNG) alike.
import type { FoundEntity, FoundRelation, SentenceView } from '../../../../common/contract';
import { okabeIto } from '../../charts/chartOptions';

export interface ArcInput {
  /** Word index range of each end: the arc joins the ends' centres. */
  from: number;
  to: number;
}

/**
 * The level (1 = lowest) of each arc: above the arcs it strictly contains, and the lowest level where
 * it overlaps no arc already there. Shorter arcs are placed first, so nesting goes inside out.
 */
export function arcLevels(arcs: readonly ArcInput[]): number[] {
  const spans = arcs.map((a, i) => ({ i, left: Math.min(a.from, a.to), right: Math.max(a.from, a.to) }));
  const order = [...spans].sort((a, b) => a.right - a.left - (b.right - b.left) || a.left - b.left);
  const levels = new Array<number>(arcs.length).fill(0);
  const placed: { left: number; right: number; level: number }[] = [];
  for (const s of order) {
    let level = 1;
    for (const p of placed) if (p.left >= s.left && p.right <= s.right && (p.left > s.left || p.right < s.right)) level = Math.max(level, p.level + 1);
    // Arcs sharing only an end word may sit on one level (they meet there); any other overlap may not.
    const clash = (l: number) => placed.some((p) => p.level === l && p.left < s.right && s.left < p.right);
    while (clash(level)) level++;
    levels[s.i] = level;
    placed.push({ left: s.left, right: s.right, level });
  }
  return levels;
}

/** An approximate text width: CJK and full-width characters 1 em, others 0.6 em. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 1 : 0.6;
  return em * fontSize;
}

/** Each word's left x and width, with a gap between words. */
export function layoutWords(words: readonly string[], fontSize: number, gap: number, pad = 8): { x: number; width: number }[] {
  let x = pad;
  return words.map((w) => {
    const width = Math.max(textWidth(w, fontSize), fontSize * 0.6);
    const at = { x, width };
    x += width + gap;
    return at;
  });
}

/** The entity types' colours: Okabe–Ito in the schema's order (black last, kept for text). */
export function typeColours(types: readonly string[]): Map<string, string> {
  const palette = okabeIto.slice(0, 7);
  return new Map(types.map((t, i) => [t, palette[i % palette.length]]));
}

const sameSpan = (a: { start: number; end: number; type: string }, b: { start: number; end: number; type: string }) => a.start === b.start && a.end === b.end && a.type === b.type;

/** Whether each predicted entity is also gold (span and type). */
export function matchEntities(predicted: readonly FoundEntity[], gold: readonly FoundEntity[] | null): boolean[] {
  return predicted.map((p) => (gold ?? []).some((g) => sameSpan(p, g)));
}

/** Whether each predicted relation is also gold (both argument spans and types, and its type: RE+). */
export function matchRelations(predicted: { entities: FoundEntity[]; relations: FoundRelation[] }, gold: { entities: FoundEntity[]; relations: FoundRelation[] } | null): boolean[] {
  return predicted.relations.map((r) => {
    const h = predicted.entities[r.head];
    const t = predicted.entities[r.tail];
    return (gold?.relations ?? []).some((g) => g.type === r.type && !!h && !!t && sameSpan(h, gold!.entities[g.head]) && sameSpan(t, gold!.entities[g.tail]));
  });
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface SentenceSvgText {
  gold: string;
  predicted: string;
  /** Said in place of a track with no annotations. */
  none: string;
}

export interface SentenceSvgOptions {
  fontSize?: number;
  fontFamily?: string;
  /** Text and line colour (light theme: dark grey; dark: light grey; exports are always light). */
  ink?: string;
  background?: string;
  types: readonly string[];
  text: SentenceSvgText;
}

interface Track {
  title: string;
  entities: FoundEntity[];
  relations: FoundRelation[];
  /** Per entity / relation: shown as matching gold (solid) or not (dashed); null: all solid. */
  entityMatch: boolean[] | null;
  relationMatch: boolean[] | null;
}

/** The sentence as an SVG: the gold track above the predicted one, each with its arcs, spans and words; a legend under them. */
export function sentenceSvg(view: SentenceView, options: SentenceSvgOptions): { svg: string; width: number; height: number } {
  const fontSize = options.fontSize ?? 14;
  const ink = options.ink ?? '#222222';
  const font = escapeXml(options.fontFamily ?? 'sans-serif');
  const labelSize = Math.round(fontSize * 0.72);
  const levelHeight = labelSize + 10;
  const words = layoutWords(view.words, fontSize, Math.round(fontSize * 0.7), 12);
  const last = words[words.length - 1];
  const rowWidth = last ? last.x + last.width + 12 : 100;
  const colours = typeColours(options.types);
  const colourOf = (type: string) => colours.get(type) ?? '#999999';
  const centre = (e: FoundEntity | undefined) => (e ? (words[e.start].x + words[e.end - 1].x + words[e.end - 1].width) / 2 : 0);

  const tracks: Track[] = [];
  if (view.gold) tracks.push({ title: options.text.gold, ...view.gold, entityMatch: null, relationMatch: null });
  if (view.predicted) {
    tracks.push({
      title: options.text.predicted,
      ...view.predicted,
      entityMatch: view.gold ? matchEntities(view.predicted.entities, view.gold.entities) : null,
      relationMatch: view.gold ? matchRelations(view.predicted, view.gold) : null,
    });
  }

  const parts: string[] = [];
  let labelsRight = 0;
  let y = 8;
  for (const track of tracks) {
    parts.push(`<text x="12" y="${y + labelSize}" font-size="${labelSize}" font-weight="bold" fill="${ink}">${escapeXml(track.title)}</text>`);
    y += labelSize + 6;
    const arcs = track.relations.map((r) => ({ from: track.entities[r.head]?.start ?? 0, to: track.entities[r.tail]?.start ?? 0 }));
    const levels = arcLevels(arcs);
    const top = Math.max(0, ...levels) * levelHeight;
    const base = y + top + 4;
    track.relations.forEach((r, k) => {
      const x1 = centre(track.entities[r.head]);
      const x2 = centre(track.entities[r.tail]);
      const h = levels[k] * levelHeight;
      const peak = base - h;
      const dashed = track.relationMatch && !track.relationMatch[k];
      const colour = colourOf(track.entities[r.head]?.type ?? '');
      const lx = (x1 + x2) / 2;
      const label = escapeXml(r.type);
      const lw = textWidth(r.type, labelSize) + 6;
      const dir = x2 >= x1 ? 1 : -1;
      parts.push(
        `<g class="arc" data-type="${label}"${dashed ? ' data-unmatched="true"' : ''}>` +
          `<path d="M${x1},${base} L${x1},${peak + 4} Q${x1},${peak} ${x1 + 4 * dir},${peak} L${x2 - 4 * dir},${peak} Q${x2},${peak} ${x2},${peak + 4} L${x2},${base}" fill="none" stroke="${ink}" stroke-width="1.2"${dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
          `<path d="M${x2 - 3.5},${base - 6} L${x2},${base} L${x2 + 3.5},${base - 6} Z" fill="${ink}"/>` +
          `<rect x="${lx - lw / 2}" y="${peak - labelSize / 2 - 2}" width="${lw}" height="${labelSize + 4}" rx="3" fill="${options.background ?? '#ffffff'}" stroke="${colour}"/>` +
          `<text x="${lx}" y="${peak + labelSize / 2 - 1}" font-size="${labelSize}" text-anchor="middle" fill="${ink}">${label}</text>` +
          `</g>`,
      );
    });
    y = base + 2;
    // The words, each entity a box around its words in its type's colour, with the type under it;
    // a label that would run into the one before goes on a second row (adjacent one-word spans).
    const rowRight = [-Infinity, -Infinity];
    let labelRows = 1;
    track.entities.forEach((e, k) => {
      const a = words[e.start];
      const b = words[e.end - 1];
      if (!a || !b) return;
      const dashed = track.entityMatch && !track.entityMatch[k];
      const colour = colourOf(e.type);
      const label = `${e.type}${e.score !== undefined ? ` ${e.score.toFixed(2)}` : ''}`;
      const half = textWidth(label, labelSize) / 2;
      // A label wider than its span stays inside the figure.
      const cx = Math.max(half + 2, (a.x + b.x + b.width) / 2);
      labelsRight = Math.max(labelsRight, cx + half + 2);
      const row = cx - half >= rowRight[0] + 8 ? 0 : cx - half >= rowRight[1] + 8 ? 1 : rowRight[0] <= rowRight[1] ? 0 : 1;
      rowRight[row] = cx + half;
      labelRows = Math.max(labelRows, row + 1);
      parts.push(
        `<g class="span" data-type="${escapeXml(e.type)}"${dashed ? ' data-unmatched="true"' : ''}>` +
          `<rect x="${a.x - 2}" y="${y}" width="${b.x + b.width - a.x + 4}" height="${fontSize + 8}" rx="4" fill="${colour}" fill-opacity="${dashed ? 0.12 : 0.3}" stroke="${colour}" stroke-width="1.5"${dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
          `<text x="${cx}" y="${y + fontSize + 8 + (labelSize + 2) * (row + 1)}" font-size="${labelSize}" text-anchor="middle" fill="${ink}">${escapeXml(label)}</text>` +
          `</g>`,
      );
    });
    view.words.forEach((w, i) => {
      parts.push(`<text x="${words[i].x}" y="${y + fontSize + 1}" font-size="${fontSize}" fill="${ink}">${escapeXml(w)}</text>`);
    });
    if (track.entities.length === 0) parts.push(`<text x="${rowWidth - 12}" y="${y - 4}" font-size="${labelSize}" text-anchor="end" fill="${ink}" opacity="0.6">${escapeXml(options.text.none)}</text>`);
    y += fontSize + 8 + (labelSize + 2) * labelRows + 12;
  }
  if (tracks.length === 0) {
    view.words.forEach((w, i) => parts.push(`<text x="${words[i].x}" y="${y + fontSize}" font-size="${fontSize}" fill="${ink}">${escapeXml(w)}</text>`));
    y += fontSize + 12;
  }
  // The legend: each type of the schema with its colour.
  let lx = 12;
  const legendY = y + 4;
  for (const type of options.types) {
    parts.push(`<rect x="${lx}" y="${legendY}" width="12" height="12" rx="2" fill="${colourOf(type)}" fill-opacity="0.6" stroke="${colourOf(type)}"/>`);
    parts.push(`<text x="${lx + 16}" y="${legendY + 10}" font-size="${labelSize}" fill="${ink}">${escapeXml(type)}</text>`);
    lx += 16 + textWidth(type, labelSize) + 16;
  }
  const height = Math.ceil(legendY + 20);
  const width = Math.ceil(Math.max(rowWidth, lx, labelsRight));
  const bg = options.background ? `<rect width="100%" height="100%" fill="${options.background}"/>` : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}">${bg}${parts.join('')}</svg>`;
  return { svg, width, height };
}
