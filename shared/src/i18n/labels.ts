import type { Group, Locale, SessionState, Stage } from '../model/types.js';
import { translate } from './index.js';

/** A stage's title: the facilitator's own, else the template's in the viewer's language. */
export function stageTitle(stage: Stage, locale: Locale): string {
  return stage.title ?? translate(locale, `stage.${stage.key}.title`);
}

export function stageInstructions(stage: Stage, locale: Locale): string {
  return stage.instructions ?? translate(locale, `stage.${stage.key}.instructions`);
}

/** A group's name, or "Group N" in the viewer's language when the facilitator left it blank. */
export function groupLabel(state: Pick<SessionState, 'groups'>, groupId: string | null, locale: Locale): string {
  if (groupId === null) return translate(locale, 'group.none');
  const index = state.groups.findIndex((g) => g.id === groupId);
  const group: Group | undefined = state.groups[index];
  if (!group) return translate(locale, 'group.none');
  return group.name || translate(locale, 'group.default', { n: index + 1 });
}
