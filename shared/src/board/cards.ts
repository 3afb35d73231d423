import * as Y from 'yjs';

/** Forms of work a mini-project can use, from the source; labels are `form.<key>`. */
export const FORMS_OF_WORK = [
  'ted',
  'worldCafe',
  'openSpace',
  'foresight',
  'focusSession',
  'quickSetup',
  'fishbowl',
  'reframing',
  'networking',
] as const;
export type FormOfWork = (typeof FORMS_OF_WORK)[number];

/** A prototyping-stage mini-project card. */
export interface CardFields {
  title: string;
  manager: string;
  goal: string;
  audience: string;
  forms: FormOfWork[];
  formsOther: string;
  indicators: string;
}

export interface CardView extends CardFields {
  id: string;
  stageId: string;
  authorId: string;
  authorName: string;
  createdAt: number;
  /** The idea note the card was made from, when there was one. */
  fromNote: string | null;
  /** On the plenary board: the group the card was published from. */
  fromGroup?: string | null;
}

export const EMPTY_CARD: CardFields = {
  title: '',
  manager: '',
  goal: '',
  audience: '',
  forms: [],
  formsOther: '',
  indicators: '',
};

export function cardsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap('cards');
}

export function addCard(doc: Y.Doc, card: CardView): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(card)) m.set(k, k === 'forms' ? [...(v as string[])] : v);
    cardsMap(doc).set(card.id, m);
  });
}

export function updateCard(doc: Y.Doc, id: string, fields: Partial<CardFields>): void {
  const m = cardsMap(doc).get(id);
  if (!m) return;
  doc.transact(() => {
    for (const [k, v] of Object.entries(fields)) m.set(k, k === 'forms' ? [...(v as string[])] : v);
  });
}

export function deleteCard(doc: Y.Doc, id: string): void {
  cardsMap(doc).delete(id);
}

export function readCards(doc: Y.Doc): CardView[] {
  const out: CardView[] = [];
  cardsMap(doc).forEach((m, id) => {
    const str = (k: string) => String(m.get(k) ?? '');
    const forms = m.get('forms');
    out.push({
      id,
      stageId: str('stageId'),
      authorId: str('authorId'),
      authorName: str('authorName'),
      createdAt: Number(m.get('createdAt') ?? 0),
      fromNote: (m.get('fromNote') as string | null | undefined) ?? null,
      fromGroup: (m.get('fromGroup') as string | null | undefined) ?? null,
      title: str('title'),
      manager: str('manager'),
      goal: str('goal'),
      audience: str('audience'),
      forms: Array.isArray(forms) ? (forms.filter((f) => (FORMS_OF_WORK as readonly string[]).includes(f)) as FormOfWork[]) : [],
      formsOther: str('formsOther'),
      indicators: str('indicators'),
    });
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
