/** The structured expert interview's text (en). */
export const interviewEn: Record<string, string> = {
  'error.bad_guide': 'The interview guide is not complete: every question needs a text (up to 500 characters), at most 10 follow-up prompts and 30 questions.',
  'error.bad_themes': 'The themes are not valid: each needs a label of up to 100 characters, no label twice, at most 30 themes.',
  'error.unknown_question': 'There is no such question in the interview guide.',
  'error.unknown_theme': 'There is no such theme.',
  'error.unknown_answer': 'This expert has not answered this question yet.',
  'error.bad_expert': 'Name the expert whose answer you are recording.',
  'error.too_many_experts': 'This interview already has as many experts as it can hold.',
  'error.answer_too_long': 'The answer is too long: at most 5,000 characters.',
  'error.interview_closed': 'The interview is not open for answers.',
};
