import type { BallotDef, BallotScale } from '@kenes/shared';
import { locale, t } from '$lib/state/locale.svelte';

/** Numbers as people read them in the current language; a missing statistic is a dash. */
export function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return new Intl.NumberFormat(locale.current, { maximumFractionDigits: digits }).format(x);
}

/** A share 0…1 as a percentage with at most one decimal. */
export function pct(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return new Intl.NumberFormat(locale.current, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** V is already in percent. */
export function percentValue(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${num(v, 1)} %`;
}

/** p-values: three significant decimals, "< 0.001" below that. */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return p < 0.001 ? `< ${num(0.001, 3)}` : num(p, 3);
}

export function optionLabel(def: BallotDef, optionId: string): string {
  return def.options.find((o) => o.id === optionId)?.label ?? optionId;
}

export function criterionLabel(def: BallotDef, criterionId: string): string {
  return def.criteria?.find((c) => c.id === criterionId)?.label ?? criterionId;
}

/** A grade with its word when the scale has labels: "4 — good". */
export function gradeLabel(scale: BallotScale | undefined, grade: number | null): string {
  if (grade === null) return '—';
  const word = scale?.labels?.[grade - (scale?.min ?? 0)];
  return word ? `${num(grade)} — ${word}` : num(grade);
}

export function grades(scale: BallotScale | undefined): number[] {
  if (!scale) return [];
  const out: number[] = [];
  for (let g = scale.min; g <= scale.max; g++) out.push(g);
  return out;
}

/** Short names for buttons and aria labels: a screen reader need not read a whole paragraph each time. */
export function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function kindName(def: Pick<BallotDef, 'kind'>): string {
  return t(`ballots.kind.${def.kind}`);
}
