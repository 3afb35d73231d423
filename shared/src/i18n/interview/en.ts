/** The structured expert interview's text (en). */
export const interviewEn: Record<string, string> = {
};
