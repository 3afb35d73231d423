import { groupLabel, type Locale, type SessionState, type VoteOption } from '@kenes/shared';

/** A vote option's group as the viewer should read it; options are keyed by group id. */
export function optionGroupName(state: SessionState, option: VoteOption, locale: Locale): string {
  return state.groups.some((g) => g.id === option.id) ? groupLabel(state, option.id, locale) : option.groupName;
}
