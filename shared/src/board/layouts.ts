/** How a board is laid out in a stage: a free canvas, columns, or a grid of named areas. */
export const LAYOUT_IDS = [
  'free',
  'case-individual',
  'case-analysis',
  'empathy-map',
  'focus',
  'ideas',
  'impact-effort',
  'prototype',
  'feedback-grid',
  'reflection',
] as const;
export type LayoutId = (typeof LAYOUT_IDS)[number];

export interface LayoutArea {
  /** Stored in each note's `area`; never renamed once shipped. */
  key: string;
}

export interface Layout {
  id: LayoutId;
  /** `canvas`: notes anywhere; `columns`: side by side; `grid`: 2×2 quadrants. */
  shape: 'canvas' | 'columns' | 'grid';
  areas: LayoutArea[];
}

const areas = (...keys: string[]): LayoutArea[] => keys.map((key) => ({ key }));

/** Area labels are catalogue keys `layout.<layoutId>.<areaKey>`. */
export const LAYOUTS: Record<LayoutId, Layout> = {
  free: { id: 'free', shape: 'canvas', areas: areas('main') },
  'case-individual': { id: 'case-individual', shape: 'columns', areas: areas('facts', 'problems', 'causes') },
  'case-analysis': {
    id: 'case-analysis',
    shape: 'columns',
    areas: areas('problems', 'causes', 'solutions', 'advantages', 'drawbacks'),
  },
  // Immersion: the map itself, then the research it rests on (documents, colleagues' experience).
  'empathy-map': {
    id: 'empathy-map',
    shape: 'grid',
    areas: areas('says', 'thinks', 'does', 'feels', 'documents', 'colleagues'),
  },
  focus: { id: 'focus', shape: 'columns', areas: areas('sides', 'hmw', 'goals', 'tasks') },
  ideas: { id: 'ideas', shape: 'columns', areas: areas('ideas', 'shortlist') },
  'impact-effort': {
    id: 'impact-effort',
    shape: 'grid',
    areas: areas('quickWins', 'majorProjects', 'fillIns', 'thankless'),
  },
  prototype: { id: 'prototype', shape: 'columns', areas: areas('cards') },
  // Testing: feedback on the pilot, then what it showed and where it leads.
  'feedback-grid': {
    id: 'feedback-grid',
    shape: 'grid',
    areas: areas('like', 'wish', 'whatIf', 'questions', 'indicators', 'proposals', 'forecast'),
  },
  reflection: { id: 'reflection', shape: 'columns', areas: areas('useful', 'difficult', 'practice') },
};

/** The area a note lands in when its own is not part of the layout. */
export function areaOf(layoutId: LayoutId, area: string | undefined): string {
  const layout = LAYOUTS[layoutId];
  return layout.areas.some((a) => a.key === area) ? area! : layout.areas[0]!.key;
}
