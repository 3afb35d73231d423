/** Every error the server answers with; the message shown comes from the catalogue (`error.<code>`). */
export const ERROR_CODES = [
  'bad_request',
  'unknown_event',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'too_large',
  'stale',
  'invalid_stage',
  'unknown_group',
  'unknown_participant',
  'not_in_group',
  'self_select_closed',
  'no_options',
  'vote_not_open',
  'vote_not_closed',
  'unknown_option',
  'too_many_dots',
  'too_many_on_one',
  'bad_count',
  'timer_state',
  'already_revealed',
  'unknown_board',
  'board_full',
  'unknown_ballot',
  'ballot_exists',
  'too_many_ballots',
  'bad_ballot',
  'ballot_not_draft',
  'ballot_not_open',
  'ballot_not_closed',
  'delphi_max_rounds',
  'delphi_consensus',
  'not_ngt',
  'wrong_kind',
  'duplicate_option',
  'incomplete_answer',
  'out_of_scale',
  'unknown_criterion',
  'too_many_choices',
  'empty_answer',
  'bad_template',
  'bad_archive',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Where a refused file went wrong (e.g. `stages.2.plannedMin`), for whoever edits it by hand. */
  detail?: string;
}
