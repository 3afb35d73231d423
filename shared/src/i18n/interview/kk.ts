/** The structured expert interview's text (kk). */
export const interviewKk: Record<string, string> = {
};
